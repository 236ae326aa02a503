using System.IO.Pipelines;
using Streamer.Media.Containers.Wav;

namespace Streamer.Media.Sources.Live;

/// <summary>
/// The header of a WAV stream of unknown length (a pipe): parsed as it arrives, leaving the pipe at the first sample.
/// A writer that does not know the length yet writes a placeholder: 0 or 0xFFFFFFFF (ffmpeg), 0x7FFFF000 (sox); any
/// declared length is only an upper bound, the stream ends at the end of its input.
/// </summary>
internal static class WavStreamHeader
{
    /// <summary>Data lengths at or above this are placeholders (sox writes 0x7FFFF000 to a pipe): unbounded.</summary>
    private const long PlaceholderLength = 0x7FFFF000;

    /// <summary>Parses the header; throws <see cref="InvalidWavException"/> naming <paramref name="name"/> and the problem.</summary>
    /// <returns>The format and the data bytes to read at most (null: to the end of the input).</returns>
    public static async Task<(AudioFormat Format, long? Limit)> ReadAsync(PipeReader reader, string name, CancellationToken cancellationToken)
    {
        var parser = new WavHeaderParser(fileLength: null);
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = parser.Feed(ref buffer, result.IsCompleted);
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (status == WavParseStatus.Done)
            {
                long declared = parser.Header!.DataLength;
                return (parser.Header.Format, declared < 0 || declared >= PlaceholderLength ? null : declared);
            }

            if (status == WavParseStatus.Error)
            {
                throw new InvalidWavException($"{name}: {parser.Error}");
            }
        }
    }
}
