using System.Reflection;
using Switchboard.Tests.Connections;
using Switchboard.Tests.Records;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>
/// The table of which test runs each public sync/async pair in both forms. A public operation added with both forms
/// and no test here fails <see cref="EveryPublicSyncAsyncPair_HasATestThatRunsBothForms"/>: add a theory over
/// <see cref="SyncOrAsync"/> (see <see cref="SyncOrAsyncTestBase"/>) and list it.
/// </summary>
public sealed class SyncOrAsyncCoverageTests
{
    private static readonly Dictionary<string, MethodInfo[]> s_coverage = new(StringComparer.Ordinal)
    {
        ["ActiveRecord<T>.All"] = [T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_AnswerAsTheirQueryForms)), T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_OverAnEmptyTable_AnswerNothing)), RoutedReads],
        ["ActiveRecord<T>.Count"] = [T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_AnswerAsTheirQueryForms)), T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_OverAnEmptyTable_AnswerNothing))],
        ["ActiveRecord<T>.Exists"] = [T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_AnswerAsTheirQueryForms)), T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_OverAnEmptyTable_AnswerNothing))],
        ["ActiveRecord<T>.Find"] = [T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_AnswerAsTheirQueryForms)), T<ConnectionRegistryDefaultTests>(nameof(ConnectionRegistryDefaultTests.SetDefault_MakesTheRegistryTheOneModelsAndConnectionManagerUse)), RoutedReads],
        ["ActiveRecord<T>.FindOrDefault"] = [T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_AnswerAsTheirQueryForms))],
        ["ActiveRecord<T>.First"] = [T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_AnswerAsTheirQueryForms)), T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_OverAnEmptyTable_AnswerNothing)), RoutedReads],
        ["ActiveRecord<T>.FirstOrDefault"] = [T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_AnswerAsTheirQueryForms)), T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.StaticReads_OverAnEmptyTable_AnswerNothing))],
        ["ActiveRecord<T>.InsertAll"] = [T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.InsertAll_StoresEveryRecord_AndCountsThem)), T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.InsertAll_InsideUsingReplicas_IsRefusedBeforeItIsSent)), RoutedWrites],
        ["ActiveRecord<T>.Delete"] = [T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.Delete_RemovesTheRow_AndReportsWhetherOneWasThere))],
        ["ActiveRecord<T>.Reload"] = [T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.Reload_DiscardsUnsavedChanges_AndThrowsRecordNotFoundOnceTheRowIsGone))],
        ["ActiveRecord<T>.Save"] =
        [
            T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.Save_InsertsWithTheGeneratedKey_ThenUpdates)),
            T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.Save_OfARecordLoadedFromAnotherConnection_WritesBackThere)),
            T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.Save_OfARowDeletedMeanwhile_ThrowsRecordNotFound)),
            T<ActiveRecordSyncOrAsyncTests>(nameof(ActiveRecordSyncOrAsyncTests.Save_InsideAnAmbientTransaction_JoinsIt)),
            T<ConnectionRegistryDefaultTests>(nameof(ConnectionRegistryDefaultTests.SetDefault_MakesTheRegistryTheOneModelsAndConnectionManagerUse)),
            RoutedWrites,
        ],
        ["Connection.CheckHealth"] = [T<ConnectionSyncOrAsyncTests>(nameof(ConnectionSyncOrAsyncTests.CheckHealth_PingsThisConnection_AndReportsItsPool))],
        ["Connection.CopyTable"] = [T<ConnectionSyncOrAsyncTests>(nameof(ConnectionSyncOrAsyncTests.CopyTable_CopiesEveryRowToTheOtherConnection))],
        ["Connection.Execute"] = [T<ConnectionSyncOrAsyncTests>(nameof(ConnectionSyncOrAsyncTests.Execute_ReturnsTheRowsChanged)), Failures, Refusals, RoutedWrites],
        ["Connection.ExecuteRaw"] = [T<ConnectionSyncOrAsyncTests>(nameof(ConnectionSyncOrAsyncTests.ExecuteRaw_ReturnsRowsColumnsAndTheGeneratedKey)), Failures, Refusals, RoutedReads, RoutedWrites],
        ["Connection.Scalar"] = [T<ConnectionSyncOrAsyncTests>(nameof(ConnectionSyncOrAsyncTests.Scalar_ConvertsTheFirstValue_AndIsDefaultWithoutARow)), Failures, Refusals, RoutedReads, RoutedWrites],
        ["Connection.Transaction"] =
        [
            T<ConnectionSyncOrAsyncTests>(nameof(ConnectionSyncOrAsyncTests.Transaction_CommitsWhenTheWorkReturns_AndReturnsItsResult)),
            T<ConnectionSyncOrAsyncTests>(nameof(ConnectionSyncOrAsyncTests.Transaction_RollsBackWhenTheWorkThrows_AndRethrowsItsException)),
            T<ConnectionSyncOrAsyncTests>(nameof(ConnectionSyncOrAsyncTests.Transaction_Nested_IsASavepointThatRollsBackAlone)),
            T<TransactionDeadlineTests>(nameof(TransactionDeadlineTests.ACommitThatHangs_FailsAtCommandTimeout_AsOfUnknownOutcome_NotTransient)),
            RoutedWrites,
        ],
        ["ConnectionManager.CheckHealth"] = [ManagerStartUp],
        ["ConnectionManager.InitializeAll"] = [ManagerStartUp],
        ["ConnectionManager.VerifyModels"] = [ManagerStartUp],
        ["ConnectionManager.Dispose"] = [ManagerShutDown],
        ["ConnectionManager.DisposeAll"] = [ManagerShutDown],
        ["ConnectionRegistry.CheckHealth"] = [T<ConnectionRegistrySyncOrAsyncTests>(nameof(ConnectionRegistrySyncOrAsyncTests.CheckHealth_ReportsEveryConnectionHealthy))],
        ["ConnectionRegistry.Dispose"] = [T<ConnectionRegistrySyncOrAsyncTests>(nameof(ConnectionRegistrySyncOrAsyncTests.Dispose_ClosesTheNamedPool_AndSaysWhetherItWasConfigured))],
        ["ConnectionRegistry.DisposeAll"] = [T<ConnectionRegistrySyncOrAsyncTests>(nameof(ConnectionRegistrySyncOrAsyncTests.DisposeAll_ClosesEveryPool))],
        ["ConnectionRegistry.InitializeAll"] =
        [
            T<ConnectionRegistrySyncOrAsyncTests>(nameof(ConnectionRegistrySyncOrAsyncTests.InitializeAll_OpensOneConnectionPerName)),
            T<ConnectionRegistrySyncOrAsyncTests>(nameof(ConnectionRegistrySyncOrAsyncTests.InitializeAll_OfAnUnreachableDatabase_ThrowsConnectionException)),
            T<InitializeAllTests>(nameof(InitializeAllTests.InitializeAll_OpensAndPoolsOneConnectionPerName_WhichTheFirstStatementReuses)),
        ],
        ["ConnectionRegistry.VerifyModels"] =
        [
            T<ConnectionRegistrySyncOrAsyncTests>(nameof(ConnectionRegistrySyncOrAsyncTests.VerifyModels_FindsNoProblemInAFittingModel_AndErrorsForAMissingTable)),
            T<VerifyModelsTests>(nameof(VerifyModelsTests.FittingModel_HasNoProblems)),
        ],
        ["Dialects.BulkWriter.Write"] = [T<ProviderSpiSyncOrAsyncTests>(nameof(ProviderSpiSyncOrAsyncTests.BulkWriter_Write_StoresEveryRowOfEveryResult))],
        ["Dialects.DriverDataSource.Dispose"] = [T<ProviderSpiSyncOrAsyncTests>(nameof(ProviderSpiSyncOrAsyncTests.Dispose_OfAMemoryDatabaseSource_ReleasesTheDatabase))],
        ["Dialects.DriverDataSource.ExecuteInsert"] = [T<ProviderSpiSyncOrAsyncTests>(nameof(ProviderSpiSyncOrAsyncTests.ExecuteInsert_ReturnsTheGeneratedKey))],
        ["Dialects.DriverDataSource.Open"] = [T<ProviderSpiSyncOrAsyncTests>(nameof(ProviderSpiSyncOrAsyncTests.Open_OpensAndPreparesTheConnection_AndPingAnswers))],
        ["Dialects.DriverDataSource.Ping"] =
        [
            T<ProviderSpiSyncOrAsyncTests>(nameof(ProviderSpiSyncOrAsyncTests.Open_OpensAndPreparesTheConnection_AndPingAnswers)),
            T<ProviderSpiSyncOrAsyncTests>(nameof(ProviderSpiSyncOrAsyncTests.Ping_OfAClosedConnection_Throws)),
        ],
        ["Query<T>.All"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.All_ReturnsTheMatchingRowsInOrder)), T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.All_UsingAnotherConnection_ReadsThere))],
        ["Query<T>.Average"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.Average_AveragesTheColumn_AndIsNullOverNoRows))],
        ["Query<T>.CopyTo"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.CopyTo_CopiesTheMatchingRowsToTheOtherConnection))],
        ["Query<T>.Count"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.Count_CountsTheMatchingRows))],
        ["Query<T>.DeleteAll"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.DeleteAll_RemovesOnlyTheMatchingRows_AndCountsThem)), T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.UpdateAll_InsideUsingReplicas_IsRefusedBeforeItIsSent)), RoutedWrites],
        ["Query<T>.Exists"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.Exists_TellsWhetherAnyRowMatches))],
        ["Query<T>.Find"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.Find_ReturnsTheRecord_OrThrowsRecordNotFound))],
        ["Query<T>.FindOrDefault"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.FindOrDefault_ReturnsTheRecord_OrNull))],
        ["Query<T>.First"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.First_ReturnsTheFirstInOrder_OrThrowsRecordNotFound))],
        ["Query<T>.FirstOrDefault"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.FirstOrDefault_ReturnsTheFirstInOrder_OrNull))],
        ["Query<T>.Max"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.Min_And_Max_ReadTheExtremes_AndNullOverNoRows)), RoutedReads],
        ["Query<T>.Min"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.Min_And_Max_ReadTheExtremes_AndNullOverNoRows))],
        ["Query<T>.Pluck"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.Pluck_ReturnsOneColumnOfTheMatchingRows)), RoutedReads],
        ["Query<T>.Sum"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.Sum_AddsTheColumn_AndIsZeroOrNullOverNoRows))],
        ["Query<T>.UpdateAll"] = [T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.UpdateAll_ChangesOnlyTheMatchingRows_AndCountsThem)), T<QuerySyncOrAsyncTests>(nameof(QuerySyncOrAsyncTests.UpdateAll_InsideUsingReplicas_IsRefusedBeforeItIsSent)), RoutedWrites],
        ["Transaction.Commit"] =
        [
            T<TransactionSyncOrAsyncTests>(nameof(TransactionSyncOrAsyncTests.Commit_KeepsTheWrites)),
            T<TransactionSyncOrAsyncTests>(nameof(TransactionSyncOrAsyncTests.Commit_Twice_IsRefusedWithTransactionException)),
            T<TransactionSyncOrAsyncTests>(nameof(TransactionSyncOrAsyncTests.Commit_AfterAStatementEndedTheTransaction_IsRefused_AndNothingIsKept)),
            RoutedWrites,
        ],
        ["Transaction.Dispose"] = [T<TransactionSyncOrAsyncTests>(nameof(TransactionSyncOrAsyncTests.Dispose_WithoutCommit_RollsBack_AndEndsTheAmbientTransaction))],
        ["Transaction.Execute"] = [TransactionStatements, TransactionRefusals, RoutedWrites],
        ["Transaction.ExecuteRaw"] = [TransactionStatements, TransactionRefusals],
        ["Transaction.Rollback"] = [T<TransactionSyncOrAsyncTests>(nameof(TransactionSyncOrAsyncTests.Rollback_DiscardsTheWrites))],
        ["Transaction.Scalar"] = [TransactionStatements, TransactionRefusals],
    };

    private static MethodInfo RoutedReads => T<RoutingSyncOrAsyncTests>(nameof(RoutingSyncOrAsyncTests.Reads_InEitherForm_GoToTheReplica));

    private static MethodInfo RoutedWrites => T<RoutingSyncOrAsyncTests>(nameof(RoutingSyncOrAsyncTests.AWrite_InEitherForm_SendsTheFlowsNextReadsToThePrimary));

    private static MethodInfo Failures => T<ConnectionSyncOrAsyncTests>(nameof(ConnectionSyncOrAsyncTests.Statements_ThatFail_ThrowTheSameStatementException));

    private static MethodInfo Refusals => T<ConnectionSyncOrAsyncTests>(nameof(ConnectionSyncOrAsyncTests.Statements_InsideUsingReplicas_AreRefusedBeforeTheyAreSent));

    private static MethodInfo ManagerStartUp => T<ConnectionManagerSyncOrAsyncTests>(nameof(ConnectionManagerSyncOrAsyncTests.InitializeAll_CheckHealth_AndVerifyModels_GoToTheDefaultRegistry));

    private static MethodInfo ManagerShutDown => T<ConnectionManagerSyncOrAsyncTests>(nameof(ConnectionManagerSyncOrAsyncTests.Dispose_And_DisposeAll_CloseThePoolsOfTheDefaultRegistry));

    private static MethodInfo TransactionStatements => T<TransactionSyncOrAsyncTests>(nameof(TransactionSyncOrAsyncTests.Statements_SeeTheTransactionsOwnWrites_AndGoWithIt));

    private static MethodInfo TransactionRefusals => T<TransactionSyncOrAsyncTests>(nameof(TransactionSyncOrAsyncTests.Statements_AfterCommit_AreRefusedWithTransactionException));

    [Fact]
    public void EveryPublicSyncAsyncPair_HasATestThatRunsBothForms()
    {
        var pairs = PublicSyncAsyncPairs.All();

        var untested = pairs.Where(p => !s_coverage.ContainsKey(p)).ToList();
        Assert.True(untested.Count == 0, "These public operations have a sync and an async form but no test that runs both; write a theory with [SyncOrAsyncData] and list it in SyncOrAsyncCoverageTests: " + string.Join(", ", untested));
    }

    [Fact]
    public void TheCoverageTable_NamesOnlyPairsThatExist()
    {
        var stale = s_coverage.Keys.Except(PublicSyncAsyncPairs.All(), StringComparer.Ordinal).ToList();

        Assert.True(stale.Count == 0, "The coverage table lists operations that no longer have both forms; remove them: " + string.Join(", ", stale));
    }

    [Fact]
    public void EveryListedTest_IsATheoryRunInBothForms()
    {
        var wrong = s_coverage.Values.SelectMany(m => m).Distinct().Where(m => !RunsBothForms(m)).Select(m => m.DeclaringType!.Name + "." + m.Name).ToList();

        Assert.True(wrong.Count == 0, "These listed tests do not run both forms (a [Theory] with [SyncOrAsyncData], or a bool parameter with [InlineData(true)] and [InlineData(false)]): " + string.Join(", ", wrong));
    }

    [Fact]
    public void ThePairsFound_IncludeTheWellKnownOnes()
    {
        // Guards the discovery itself: if it found nothing, every other check here would pass vacuously.
        Assert.Superset(
            new HashSet<string>(["Connection.Execute", "Query<T>.Count", "ActiveRecord<T>.Save", "Transaction.Commit", "ConnectionManager.InitializeAll", "Dialects.DriverDataSource.Open"]),
            new HashSet<string>(PublicSyncAsyncPairs.All()));
    }

    private static bool RunsBothForms(MethodInfo method)
    {
        if (method.GetCustomAttribute<TheoryAttribute>() is null)
        {
            return false;
        }

        var parameters = method.GetParameters();
        if (method.GetCustomAttribute<SyncOrAsyncDataAttribute>() is not null)
        {
            return parameters is [{ ParameterType: var type }] && type == typeof(SyncOrAsync);
        }

        var values = method.GetCustomAttributes<InlineDataAttribute>().Select(a => a.Data is [bool flag] ? flag : (bool?)null).ToHashSet();
        return parameters is [{ ParameterType: var single }] && single == typeof(bool) && values.SetEquals([true, false]);
    }

    private static MethodInfo T<TTest>(string name) =>
        typeof(TTest).GetMethod(name) ?? throw new InvalidOperationException($"{typeof(TTest).Name} has no method {name}.");
}
