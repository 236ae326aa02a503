using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>
/// Reads a control payload map key by key with bounds checks. MessagePackSecurity guards only the serializer,
/// so the raw reader's element counts and string lengths are bounded here.
/// </summary>
internal ref struct MapReader
{
    public const int MaxEntries = 64;
    public const int MaxStringBytes = 64 * 1024;

    private MessagePackReader _reader;
    private int _remaining;

    private MapReader(ReadOnlySequence<byte> payload)
    {
        _reader = new MessagePackReader(payload);
        _remaining = 0;
    }

    /// <summary>Starts reading a map payload; an empty payload reads as an empty map.</summary>
    public static MapReader Create(ReadOnlySequence<byte> payload, string what)
    {
        var map = new MapReader(payload);
        if (payload.IsEmpty)
        {
            return map;
        }

        try
        {
            if (map._reader.NextMessagePackType != MessagePackType.Map)
            {
                throw new ProtocolException($"{what} payload is not a MessagePack map");
            }

            map._remaining = map._reader.ReadMapHeader();
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or ArgumentOutOfRangeException)
        {
            throw new ProtocolException($"{what} payload is malformed", ex);
        }

        if (map._remaining > MaxEntries)
        {
            throw new ProtocolException($"{what} payload has {map._remaining} entries (limit {MaxEntries})");
        }

        return map;
    }

    /// <summary>Reads the next key, or returns false at the end of the map.</summary>
    public bool TryReadKey(out string key)
    {
        key = string.Empty;
        if (_remaining == 0)
        {
            return false;
        }

        _remaining--;
        key = ReadString() ?? string.Empty;
        return true;
    }

    /// <summary>True when the payload holds nothing after what was read (no trailing bytes).</summary>
    public bool AtEnd => _reader.End;

    public long ReadInt64() => Guard(ref this, static (ref MessagePackReader r) => r.ReadInt64());

    public bool ReadBoolean() => Guard(ref this, static (ref MessagePackReader r) => r.ReadBoolean());

    public string? ReadString()
    {
        return Guard(ref this, static (ref MessagePackReader r) =>
        {
            if (r.TryReadNil())
            {
                return null;
            }

            var bytes = r.ReadStringSequence();
            if (bytes is { } seq && seq.Length > MaxStringBytes)
            {
                throw new ProtocolException($"a string of {seq.Length} bytes exceeds the limit of {MaxStringBytes}");
            }

            return bytes is { } s ? System.Text.EncodingExtensions.GetString(System.Text.Encoding.UTF8, in s) : null;
        });
    }

    public string[] ReadStringArray()
    {
        int count = Guard(ref this, static (ref MessagePackReader r) => r.ReadArrayHeader());
        if (count > MaxEntries)
        {
            throw new ProtocolException($"an array of {count} entries exceeds the limit of {MaxEntries}");
        }

        var result = new string[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = ReadString() ?? string.Empty;
        }

        return result;
    }

    public Dictionary<string, string> ReadStringMap()
    {
        int count = Guard(ref this, static (ref MessagePackReader r) => r.ReadMapHeader());
        if (count > MaxEntries)
        {
            throw new ProtocolException($"a map of {count} entries exceeds the limit of {MaxEntries}");
        }

        var result = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string key = ReadString() ?? string.Empty;
            result[key] = ReadString() ?? string.Empty;
        }

        return result;
    }

    /// <summary>Skips a value without trusting its lengths (see <see cref="MessagePackSkipper"/>).</summary>
    public void Skip() => Guard(ref this, static (ref MessagePackReader r) =>
    {
        long length = MessagePackSkipper.TrySkip(r.Sequence.Slice(r.Position));
        if (length < 0)
        {
            throw new ProtocolException("control payload is malformed: a value claims more bytes than there are");
        }

        r.ReadRaw(length);
        return 0;
    });

    private delegate T ReadFunc<T>(ref MessagePackReader reader);

    private static T Guard<T>(ref MapReader map, ReadFunc<T> read)
    {
        try
        {
            return read(ref map._reader);
        }
        // ArgumentOutOfRangeException: what the reader throws when a length in the bytes runs past their end.
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            string why = ex is ArgumentOutOfRangeException ? "a length runs past the end of the frame" : ex.Message;
            throw new ProtocolException("control payload is malformed: " + why, ex);
        }
    }
}
