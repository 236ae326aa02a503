using Streamer.Media;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;

namespace Streamer.Bench.Latency;

/// <summary>
/// A clocked output that plays through another (the paced null output) and writes every block it pulled to a WAV
/// file (<c>--keep</c>): what the listener would have heard, silence and concealment included.
/// </summary>
internal sealed class KeepingOutput : IClockedOutput
{
    private readonly IClockedOutput _inner;
    private readonly IUnclockedOutput _file;

    public KeepingOutput(IClockedOutput inner, string path)
    {
        _inner = inner;
        _file = new WavFileOutput(path);
    }

    public string Description => _inner.Description;

    public Task RunAsync(IPlayoutSource source, CancellationToken cancellationToken)
    {
        _file.Open(source.Format);
        return _inner.RunAsync(new Tee(source, _file), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        await _file.DisposeAsync();
    }

    private sealed class Tee : IPlayoutSource
    {
        private readonly IPlayoutSource _source;
        private readonly IUnclockedOutput _file;

        public Tee(IPlayoutSource source, IUnclockedOutput file)
        {
            _source = source;
            _file = file;
        }

        public AudioFormat Format => _source.Format;

        public bool IsCompleted => _source.IsCompleted;

        public int Read(Span<byte> buffer) => Keep(buffer, _source.Read(buffer));

        public int ReadClocked(Span<byte> buffer) => Keep(buffer, _source.ReadClocked(buffer));

        public int ReadClocked(Span<byte> buffer, long presentationLocalUs) => Keep(buffer, _source.ReadClocked(buffer, presentationLocalUs));

        private int Keep(Span<byte> buffer, int count)
        {
            _file.Write(buffer[..count]);
            return count;
        }
    }
}
