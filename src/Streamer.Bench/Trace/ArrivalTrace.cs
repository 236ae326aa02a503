using System.Globalization;

namespace Streamer.Bench.Trace;

/// <summary>One frame as a trace recorded it.</summary>
/// <param name="ArrivalMicroseconds">When it entered the receiver's sink chain, on the receiver's monotonic clock (µs).</param>
/// <param name="Sequence">The sender's packet number.</param>
/// <param name="Timestamp">Media time of its first sample, in samples per channel.</param>
/// <param name="Bytes">Its payload size.</param>
public readonly record struct TraceFrame(long ArrivalMicroseconds, uint Sequence, ulong Timestamp, int Bytes);

/// <summary>
/// A recorded arrival trace (<c>play --record-trace FILE</c>), the input of <c>bench replay</c>. The format is text
/// (docs/bench.md, "Trace format"): a first line <c># streamer-trace 1</c>, a line <c># codec=NAME rate=HZ
/// channels=N frame_samples=N</c>, the header <c>arrival_us,sequence,timestamp,bytes</c>, then one line per frame.
/// </summary>
public sealed class ArrivalTrace
{
    /// <summary>The format's first line.</summary>
    public const string Magic = "# streamer-trace 1";

    /// <summary>The column header line.</summary>
    public const string Columns = "arrival_us,sequence,timestamp,bytes";

    /// <summary>A trace of <paramref name="frames"/> of a stream described by the rest.</summary>
    public ArrivalTrace(string codec, int sampleRate, int channels, int frameSamples, IReadOnlyList<TraceFrame> frames)
    {
        Codec = codec;
        SampleRate = sampleRate;
        Channels = channels;
        FrameSamples = frameSamples;
        Frames = frames;
    }

    /// <summary>The stream's codec.</summary>
    public string Codec { get; }

    /// <summary>The stream's sample rate.</summary>
    public int SampleRate { get; }

    /// <summary>The stream's channels.</summary>
    public int Channels { get; }

    /// <summary>Samples per channel in one frame.</summary>
    public int FrameSamples { get; }

    /// <summary>Audio per frame, in ms.</summary>
    public double FrameMilliseconds => FrameSamples * 1000.0 / SampleRate;

    /// <summary>The frames in arrival order.</summary>
    public IReadOnlyList<TraceFrame> Frames { get; }

    /// <summary>The stream line: <c># codec=… rate=… channels=… frame_samples=…</c>.</summary>
    public static string StreamLine(string codec, int sampleRate, int channels, int frameSamples)
        => string.Create(CultureInfo.InvariantCulture, $"# codec={codec} rate={sampleRate} channels={channels} frame_samples={frameSamples}");

    /// <summary>Reads a trace; a file that is not one fails with <see cref="InvalidDataException"/> naming the line.</summary>
    public static ArrivalTrace Read(string path)
    {
        using var reader = new StreamReader(path);
        if (reader.ReadLine() != Magic)
        {
            throw new InvalidDataException($"{path}: not a Streamer trace (the first line is not '{Magic}')");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? stream = reader.ReadLine();
        foreach (string part in (stream ?? string.Empty).TrimStart('#').Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields[part[..eq]] = part[(eq + 1)..];
            }
        }

        int rate = Positive(path, fields, "rate");
        int channels = Positive(path, fields, "channels");
        int frameSamples = Positive(path, fields, "frame_samples");
        if (reader.ReadLine() != Columns)
        {
            throw new InvalidDataException($"{path}: line 3 must be '{Columns}'");
        }

        var frames = new List<TraceFrame>();
        int number = 3;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            if (cells.Length != 4
                || !long.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long arrival)
                || !uint.TryParse(cells[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out uint sequence)
                || !ulong.TryParse(cells[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong timestamp)
                || !int.TryParse(cells[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out int bytes) || bytes < 0)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: line {number} is not 'arrival_us,sequence,timestamp,bytes' in whole numbers"));
            }

            if (frames.Count > 0 && arrival < frames[^1].ArrivalMicroseconds)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: line {number} arrives before the line above it"));
            }

            frames.Add(new TraceFrame(arrival, sequence, timestamp, bytes));
        }

        return new ArrivalTrace(fields.GetValueOrDefault("codec", "unknown"), rate, channels, frameSamples, frames);
    }

    private static int Positive(string path, Dictionary<string, string> fields, string name)
    {
        if (!fields.TryGetValue(name, out string? text) || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value <= 0 || value > 1_000_000)
        {
            throw new InvalidDataException($"{path}: line 2 needs {name}=N, a positive whole number");
        }

        return value;
    }
}
