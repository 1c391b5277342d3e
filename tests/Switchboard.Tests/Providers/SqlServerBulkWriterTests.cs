using Microsoft.Data.SqlClient;
using Switchboard.Dialects;
using Switchboard.SqlServer;

namespace Switchboard.Tests.Providers;

/// <summary>SQL Server's bulk path, configured without a server (none runs here): what SqlBulkCopy is told.</summary>
public class SqlServerBulkWriterTests
{
    [Fact]
    public void CreateBulkWriter_ConfiguresSqlBulkCopy_KeepingKeysAndNulls_InTheTransaction_ByColumnName()
    {
        using var connection = new SqlConnection("Server=localhost;Database=Sales;Encrypt=false");
        var target = new BulkWriteTarget(connection, null, "[sales].[Orders]", ["OrderId", "Customer Name"], ["[OrderId]", "[Customer Name]"], 500, TimeSpan.FromSeconds(45));

        var writer = Assert.IsType<SqlServerBulkWriter>(new SqlServerDriver().CreateBulkWriter(target));
        using var bulk = writer.CreateBulkCopy();

        Assert.Equal("[sales].[Orders]", bulk.DestinationTableName);
        Assert.Equal(45, bulk.BulkCopyTimeout);
        Assert.True(bulk.EnableStreaming);
        Assert.Equal(
            [(0, "OrderId"), (1, "Customer Name")],
            bulk.ColumnMappings.Cast<SqlBulkCopyColumnMapping>().Select(m => (m.SourceOrdinal, m.DestinationColumn)));
        Assert.True(SqlServerBulkWriter.Options.HasFlag(SqlBulkCopyOptions.KeepIdentity));
        Assert.True(SqlServerBulkWriter.Options.HasFlag(SqlBulkCopyOptions.KeepNulls));
        Assert.True(SqlServerBulkWriter.Options.HasFlag(SqlBulkCopyOptions.CheckConstraints));
    }

    [Fact]
    public void BulkWriteTarget_ReportFailedRows_RefusesAnEmptyRange()
    {
        using var connection = new SqlConnection("Server=localhost;Database=Sales;Encrypt=false");
        var target = new BulkWriteTarget(connection, null, "[t]", ["a"], ["[a]"], 10, TimeSpan.Zero);

        Assert.Throws<ArgumentOutOfRangeException>(() => target.ReportFailedRows(5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => target.ReportFailedRows(0, 1));
    }
}
