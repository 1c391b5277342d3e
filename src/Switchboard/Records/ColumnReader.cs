using System.Data.Common;

namespace Switchboard.Records;

/// <summary>Reads one column as the property's type, with a message that names the column when the types do not match.</summary>
internal static class ColumnReader
{
    public static T Read<T>(DbDataReader reader, int ordinal, string column, Type propertyType)
    {
        try
        {
            return reader.GetFieldValue<T>(ordinal);
        }
        catch (Exception mismatch) when (mismatch is InvalidCastException or FormatException or OverflowException)
        {
            // The column's type differs from the property's (a bigint read as int, text read as a date): convert.
            try
            {
                return ValueConverter.To<T>(reader.GetValue(ordinal))!;
            }
            catch (InvalidCastException exception)
            {
                throw new InvalidCastException(
                    $"Column '{column}' holds {reader.GetFieldType(ordinal).Name} values, which cannot be read into a property of type {propertyType.Name}. Change the property's type to match the column.",
                    exception);
            }
        }
    }
}
