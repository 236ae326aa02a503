using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Streamer.Media.Containers.Ogg;

namespace Streamer.Bench.Listeners;

/// <summary>
/// One plain HTTP listener (what a browser or a media player does at an Icecast mount): <c>GET</c>, a 2xx answer,
/// then the body, counted in bytes and, when it is Ogg, in pages, with page-sequence gaps and lateness by the
/// granule position (48 kHz units, as Ogg Opus defines them). A 4xx/5xx answer is a refusal.
/// </summary>
internal sealed class HttpStreamListener(ListenerBenchOptions options) : ListenerConnection
{
    /// <summary>Ogg Opus granule positions count 48 kHz samples, whatever the input rate (RFC 7845).</summary>
    private const double GranuleRate = 48000;

    private const int MaxHeaderBytes = 16 * 1024;

    private Socket? _socket;
    private NetworkStream? _stream;
    private PipeReader? _input;

    protected override async Task<bool> OpenAsync(Socket socket, ListenerTally tally, CancellationToken handshake)
    {
        _socket = socket;
        var pipes = ListenerRun.Pipes(socket);
        _stream = pipes.Stream;
        _input = pipes.Input;
        // HTTP/1.0: the body comes as it is, never chunked, and ends with the connection.
        string request = string.Create(CultureInfo.InvariantCulture, $"GET {options.HttpPath} HTTP/1.0\r\nHost: {options.Host}:{options.Port}\r\nUser-Agent: streamer-bench-listeners\r\nAccept: */*\r\n\r\n");
        await pipes.Output.WriteAsync(Encoding.ASCII.GetBytes(request), handshake);
        int status = await ReadResponseHeadAsync(_input, handshake);
        if (status is < 200 or > 299)
        {
            tally.AddRefused(string.Create(CultureInfo.InvariantCulture, $"HTTP {status}"));
            return false;
        }

        return true;
    }

    protected override Task ReceiveAsync(ListenerTally tally, CancellationToken stop) => ReceiveAsync(_input!, tally, stop);

    public override async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }
        else
        {
            _socket?.Dispose();
        }
    }

    /// <summary>Reads the status line and headers (up to the blank line); returns the status code.</summary>
    private static async Task<int> ReadResponseHeadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var end = FindHeadEnd(buffer);
            if (end is { } headEnd)
            {
                string head = Encoding.ASCII.GetString(buffer.Slice(0, headEnd));
                input.AdvanceTo(headEnd);
                return ParseStatus(head);
            }

            if (buffer.Length > MaxHeaderBytes)
            {
                throw new InvalidDataException("the server's HTTP answer has no end of headers within 16 KB");
            }

            if (result.IsCompleted)
            {
                throw new InvalidDataException("the server closed the connection before its HTTP answer ended");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The position after "\r\n\r\n", or null.</summary>
    private static SequencePosition? FindHeadEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, "\r\n\r\n"u8, advancePastDelimiter: true) ? reader.Position : null;
    }

    /// <summary>"HTTP/1.0 200 OK" (or Icecast 1.x's "ICY 200 OK"): the number after the first space.</summary>
    internal static int ParseStatus(string head)
    {
        int space = head.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && head.Length >= space + 4 && int.TryParse(head.AsSpan(space + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int status)
            ? status
            : throw new InvalidDataException("the server's answer is not HTTP");
    }

    private static async Task ReceiveAsync(PipeReader input, ListenerTally tally, CancellationToken stop)
    {
        var counter = new OggPageCounter(tally);
        while (true)
        {
            var result = await input.ReadAsync(stop);
            var buffer = result.Buffer;
            counter.Consume(ref buffer, ListenerRun.NowUs());
            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                tally.AddEnded();
                return;
            }
        }
    }

    /// <summary>
    /// Per-connection page bookkeeping: header pages (granule 0, before the first audio page of a stream) neither
    /// count as gaps nor as late; a page that begins a stream (a new serial in a chain, or the headers Icecast
    /// repeats to each new listener) starts the sequence afresh.
    /// </summary>
    private struct OggPageCounter(ListenerTally tally)
    {
        private ArrivalTracker _tracker;
        private bool _audio;
        private long _lastMediaUs;

        public void Consume(ref ReadOnlySequence<byte> buffer, long arrivalUs)
        {
            while (true)
            {
                var status = OggPageParser.TryRead(ref buffer, out var page, out long skipped);
                if (status == OggReadStatus.NeedMoreData)
                {
                    return;
                }

                bool measuring = tally.Measuring;
                if (status == OggReadStatus.Skipped)
                {
                    if (measuring)
                    {
                        tally.AddBytes(skipped);
                    }

                    continue;
                }

                Accept(page, arrivalUs, measuring);
            }
        }

        private void Accept(in OggPage page, long arrivalUs, bool measuring)
        {
            if (page.BeginsStream)
            {
                _audio = false;
                _tracker.Restart();
            }

            if (!_audio && page.GranulePosition <= 0)
            {
                // Identification and comment headers: not audio, not on the media clock.
                if (measuring)
                {
                    tally.AddBytes(page.Length);
                }

                return;
            }

            _audio = true;
            // A page on which no packet ends has granule -1: it keeps the previous page's media time.
            long mediaUs = page.GranulePosition > 0 ? (long)(page.GranulePosition * 1_000_000.0 / GranuleRate) : _lastMediaUs;
            _lastMediaUs = mediaUs;
            long skippedBefore = _tracker.Skipped;
            long disorderBefore = _tracker.OutOfOrder;
            long lateness = _tracker.Accept(page.Sequence, mediaUs, arrivalUs, measuring);
            if (measuring)
            {
                tally.AddFrame(page.Length, lateness, null);
                tally.AddSkipped(_tracker.Skipped - skippedBefore, _tracker.OutOfOrder - disorderBefore);
            }
        }
    }
}
