using System.Diagnostics;
using System.Globalization;
using Streamer.Tests.Support;

namespace Streamer.Tests.Devices.PortAudio;

/// <summary>
/// A sound card for machines without one: a HOME whose .asoundrc turns ALSA's default device into a file
/// plugin writing raw PCM into a FIFO, and a reader that drains the FIFO at the real-time byte rate, so
/// PortAudio's callback is paced like a real card's (ALSA's "null" slave alone runs as fast as the CPU).
/// </summary>
internal sealed class PacedAlsaCapture : IDisposable
{
    private const string Pacer = """
        import fcntl, sys, time
        fifo, out_path, rate, until = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        # PortAudio opens and closes the device while probing: keep reopening until a stream of 'until' bytes ended.
        total = 0
        with open(out_path, 'wb', buffering=0) as out:
            while total < until or total == 0:
                with open(fifo, 'rb', buffering=0) as inp:
                    try:
                        fcntl.fcntl(inp.fileno(), 1031, 4096)  # F_SETPIPE_SZ: keep the pipe from hiding latency
                    except OSError:
                        pass
                    start = None
                    sent = 0
                    while True:
                        chunk = inp.read(4096)
                        if not chunk:
                            break
                        if start is None:
                            start = time.monotonic()
                        out.write(chunk)
                        total += len(chunk)
                        sent += len(chunk)
                        ahead = sent / rate - (time.monotonic() - start)
                        if ahead < -0.02:  # fell behind (descheduled): carry on at the real rate, as a card would after an xrun
                            start, sent = time.monotonic(), 0
                        if ahead > 0.005:
                            time.sleep(ahead - 0.005)
        """;

    private readonly TempDirectory _directory = new();
    private readonly Process _reader;

    /// <param name="expectBytes">The reader stops at the first close after this much arrived.</param>
    public PacedAlsaCapture(int bytesPerSecond, long expectBytes = 0)
    {
        Home = _directory.File("home");
        System.IO.Directory.CreateDirectory(Home);
        string fifo = _directory.File("card.fifo");
        CapturePath = _directory.File("captured.raw");
        var (code, _, error) = ExternalTool.Run("mkfifo", fifo);
        Assert.True(code == 0, error);
        File.WriteAllText(Path.Combine(Home, ".asoundrc"), $"pcm.!default {{ type file; slave.pcm \"null\"; file \"{fifo}\"; format \"raw\" }}\n");
        string script = _directory.File("pace.py");
        File.WriteAllText(script, Pacer);
        var info = new ProcessStartInfo("python3") { UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(fifo);
        info.ArgumentList.Add(CapturePath);
        info.ArgumentList.Add(bytesPerSecond.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(expectBytes.ToString(CultureInfo.InvariantCulture));
        _reader = Process.Start(info)!;
    }

    public string Home { get; }

    public string CapturePath { get; }

    public string Directory => _directory.Path;

    /// <summary>The environment that sends a streamer process's default device here.</summary>
    public Dictionary<string, string?> Environment => new() { ["HOME"] = Home };

    /// <summary>Waits for the reader to see the end of the stream, then returns what the "card" played.</summary>
    public byte[] Captured()
    {
        if (!_reader.WaitForExit(15_000))
        {
            _reader.Kill();
            throw new TimeoutException("the paced reader did not see the device close");
        }

        return File.ReadAllBytes(CapturePath);
    }

    public void Dispose()
    {
        if (!_reader.HasExited)
        {
            _reader.Kill();
            _reader.WaitForExit(5_000);
        }

        _reader.Dispose();
        _directory.Dispose();
    }
}
