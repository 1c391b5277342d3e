using System.Collections;
using System.Data.Common;
using Switchboard.Dialects;

namespace Switchboard.Copying;

/// <summary>
/// The rows a <see cref="BulkWriter"/> reads: the source reader's rows, one at a time, as the target's column values.
/// Each batch is one result set: <see cref="Read"/> returns false after <c>BatchSize</c> rows, and
/// <see cref="NextResult"/> starts the next batch when rows remain. Nothing but the current row and the keys of the
/// last batch is held, so memory stays the same however many rows are copied.
/// </summary>
internal sealed class CopyReader : DbDataReader
{
    private readonly DbDataReader _source;
    private readonly CopyRows _rows;
    private readonly SqlDialect _targetDialect;
    private readonly int _batchSize;
    private readonly IProgress<long>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly object?[] _values;
    private readonly object?[]? _keys;
    private int _inBatch;
    private bool _pending;
    private bool _sourceDone;
    private bool _closed;
    private long _reported = -1;

    public CopyReader(DbDataReader source, CopyRows rows, SqlDialect targetDialect, int batchSize, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        _source = source;
        _rows = rows;
        _targetDialect = targetDialect;
        _batchSize = batchSize;
        _progress = progress;
        _cancellationToken = cancellationToken;
        _values = new object?[rows.Columns.Count];
        _keys = rows.HasKey ? new object?[batchSize + 1] : null;
    }

    /// <summary>The rows read from the source so far; the current row is this one (numbered from 1).</summary>
    public long RowsRead { get; private set; }

    /// <summary>The exception the source reader threw, when the copy failed while reading rather than writing.</summary>
    public Exception? SourceFailure { get; private set; }

    /// <summary>Whether rows of row number <paramref name="row"/> still have their key held (the current and the previous batch's rows).</summary>
    public bool TryGetKey(long row, out object? key)
    {
        key = null;
        if (_keys is null || row < 1 || row > RowsRead || RowsRead - row >= _keys.Length)
        {
            return false;
        }

        key = _keys[(int)((row - 1) % _keys.Length)];
        return true;
    }

    public override int FieldCount => _values.Length;

    public override int Depth => 0;

    public override bool HasRows => true;

    public override bool IsClosed => _closed;

    public override int RecordsAffected => -1;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read() => ReadAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<bool> ReadAsync(CancellationToken cancellationToken) => ReadAsync(async: true, cancellationToken).AsTask();

    public override bool NextResult() => NextResultAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => NextResultAsync(async: true, cancellationToken).AsTask();

    public override object GetValue(int ordinal) => _values[ordinal] ?? DBNull.Value;

    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var count = Math.Min(values.Length, _values.Length);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override bool IsDBNull(int ordinal) => _values[ordinal] is null or DBNull;

    public override string GetName(int ordinal) => _rows.Columns[ordinal];

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < _rows.Columns.Count; i++)
        {
            if (string.Equals(_rows.Columns[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new ArgumentException($"The copied rows have no column '{name}'.");
    }

    public override Type GetFieldType(int ordinal) => _rows.FieldType(ordinal);

    public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

    public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);

    public override byte GetByte(int ordinal) => (byte)GetValue(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = (byte[])GetValue(ordinal);
        if (buffer is null)
        {
            return bytes.Length;
        }

        var count = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        Array.Copy(bytes, dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override char GetChar(int ordinal) => (char)GetValue(ordinal);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = (string)GetValue(ordinal);
        if (buffer is null)
        {
            return text.Length;
        }

        var count = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
        text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override DateTime GetDateTime(int ordinal) => (DateTime)GetValue(ordinal);

    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override double GetDouble(int ordinal) => Convert.ToDouble(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override float GetFloat(int ordinal) => Convert.ToSingle(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override Guid GetGuid(int ordinal) => GetValue(ordinal) is Guid guid ? guid : Guid.Parse((string)GetValue(ordinal));

    public override short GetInt16(int ordinal) => Convert.ToInt16(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override int GetInt32(int ordinal) => Convert.ToInt32(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override long GetInt64(int ordinal) => Convert.ToInt64(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override string GetString(int ordinal) => (string)GetValue(ordinal);

    public override IEnumerator GetEnumerator() => throw new NotSupportedException("The copied rows are read with Read, one at a time.");

    public override void Close() => _closed = true;

    private async ValueTask<bool> ReadAsync(bool async, CancellationToken cancellationToken)
    {
        if (_inBatch >= _batchSize || _sourceDone)
        {
            return false;
        }

        if (_pending)
        {
            // NextResult already read this batch's first row.
            _pending = false;
            _inBatch++;
            return true;
        }

        if (!await AdvanceAsync(async, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _inBatch++;
        return true;
    }

    private async ValueTask<bool> NextResultAsync(bool async, CancellationToken cancellationToken)
    {
        if (_sourceDone || _inBatch < _batchSize)
        {
            // The source has ended (or the writer stopped before the batch did): no further batch.
            return false;
        }

        Report(RowsRead);
        _inBatch = 0;
        _pending = await AdvanceAsync(async, cancellationToken).ConfigureAwait(false);
        return _pending;
    }

    /// <summary>Tells the progress callback the rows handed to the target so far, once per count.</summary>
    public void Report(long rows)
    {
        if (_progress is not null && rows != _reported)
        {
            _reported = rows;
            _progress.Report(rows);
        }
    }

    /// <summary>Reads the next source row into the values; false at the end of the source.</summary>
    private async ValueTask<bool> AdvanceAsync(bool async, CancellationToken cancellationToken)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (!(async ? await _source.ReadAsync(_cancellationToken).ConfigureAwait(false) : _source.Read()))
            {
                _sourceDone = true;
                return false;
            }

            RowsRead++;
            if (_keys is not null)
            {
                // The key first: a row whose values cannot be read is still named by it, never by an older row's.
                var slot = (int)((RowsRead - 1) % _keys.Length);
                _keys[slot] = null;
                _keys[slot] = _rows.Key(_source);
            }

            _rows.Read(_source, _values);
            for (var i = 0; i < _values.Length; i++)
            {
                _values[i] = ParameterBinder.ToDbValue(_targetDialect, _values[i], _rows.Columns[i]);
            }

            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            SourceFailure = exception;
            throw;
        }
    }
}
