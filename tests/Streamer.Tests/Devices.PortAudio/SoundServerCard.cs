using System.Diagnostics;
using System.Globalization;
using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Devices.PortAudio;

/// <summary>
/// A sound card for machines without one, as a Linux desktop has it: a private PulseAudio server whose
/// <c>module-null-sink</c> consumes audio on its own timer (in a realtime-priority thread when run as root), so
/// PortAudio's callback is paced like a real card's; a HOME whose .asoundrc routes ALSA's default device to that
/// server through ALSA's <c>pulse</c> plugin (PortAudio → ALSA → the server); and <c>parec</c> recording the sink's
/// monitor, which is what the "card" played. Everything lives in one temporary directory: the server listens only on
/// a unix socket there, with its own XDG_RUNTIME_DIR and HOME, and only the child processes given
/// <see cref="Environment"/> see it. The server is stopped in <see cref="Dispose"/>; should the test host die first,
/// it exits by itself once idle (<c>--exit-idle-time</c>) and the recorder is bounded by <c>timeout</c>.
/// </summary>
internal sealed class SoundServerCard : IDisposable
{
    /// <summary>The sink's name; its monitor source is <c>card.monitor</c>.</summary>
    public const string SinkName = "card";

    private const string Missing = "the stand-in sound card needs pulseaudio, pulseaudio-utils (parec, pactl) and libasound2-plugins (ALSA's pulse plugin); tools/test.sh installs them";

    private readonly TempDirectory _directory = new();
    private readonly AudioFormat _format;
    private readonly Process _server;
    private readonly string _serverLog;
    private Process? _recorder;
    private string? _recording;

    public SoundServerCard(AudioFormat format)
    {
        _format = format;
        Assert.True(OperatingSystem.IsLinux(), "the stand-in sound card is a Linux sound server");
        foreach (string tool in new[] { "pulseaudio", "parec", "pactl", "timeout" })
        {
            Assert.True(ExternalTool.Exists(tool), $"{tool} not found: {Missing}");
        }

        Assert.True(AlsaPulsePluginInstalled(), $"ALSA's pulse plugin (libasound_module_pcm_pulse.so) not found: {Missing}");

        string runtime = _directory.File("run");
        string serverHome = _directory.File("server-home");
        Home = _directory.File("home");
        // PulseAudio wants its runtime directory private to its user.
        if (!OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(runtime, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        System.IO.Directory.CreateDirectory(serverHome);
        System.IO.Directory.CreateDirectory(Home);
        Server = "unix:" + Path.Combine(runtime, "card.sock");

        // No default.pa (-n): only the unix socket and the null sink, at the stream's format so nothing resamples
        // or dithers and the monitor carries the stream's bytes unchanged.
        string script = _directory.File("card.pa");
        File.WriteAllText(script, string.Create(CultureInfo.InvariantCulture, $"""
            load-module module-native-protocol-unix auth-anonymous=1 socket={Server["unix:".Length..]}
            load-module module-null-sink sink_name={SinkName} rate={format.SampleRate} channels={format.Channels} format={PulseFormat(format)}
            set-default-sink {SinkName}

            """));
        File.WriteAllText(Path.Combine(Home, ".asoundrc"), $$"""
            pcm.!default { type pulse; server "{{Server}}"; device "{{SinkName}}" }
            ctl.!default { type pulse; server "{{Server}}" }

            """);

        _serverLog = _directory.File("server.log");
        // As root PulseAudio warns that it "is not intended to be run as root" but runs per-user with -n; --system
        // would want a pulse user and the system paths. --no-cpu-limit: a busy test machine must not make its
        // realtime watchdog kill it.
        var info = Tool("pulseaudio");
        foreach (string arg in new[]
        {
            "-n", "-F", script, "--daemonize=no", "--use-pid-file=no", "--disable-shm=yes", "--no-cpu-limit",
            "--exit-idle-time=30", "--log-level=debug", "--log-target=file:" + _serverLog,
        })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["XDG_RUNTIME_DIR"] = runtime;
        info.Environment["HOME"] = serverHome;
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(serverHome, ".config");
        info.Environment["XDG_STATE_HOME"] = Path.Combine(serverHome, ".state");
        info.Environment.Remove("PULSE_SERVER");
        info.Environment.Remove("DBUS_SESSION_BUS_ADDRESS");
        info.Environment.Remove("DISPLAY");
        _server = Start(info);
        WaitForServer();
    }

    /// <summary>The HOME whose .asoundrc sends ALSA's default device to the server.</summary>
    public string Home { get; }

    /// <summary>The server's address (a unix socket), as libpulse's PULSE_SERVER spells it.</summary>
    public string Server { get; }

    public string Directory => _directory.Path;

    /// <summary>The environment that sends a streamer process's default device to the server's null sink.</summary>
    public Dictionary<string, string?> Environment => new() { ["HOME"] = Home, ["PULSE_SERVER"] = Server };

    /// <summary>Starts recording the sink's monitor; returns once the recording runs (it holds the sink's silence).</summary>
    public void StartRecording()
    {
        Assert.Null(_recorder);
        _recording = _directory.File("captured.raw");
        // 10 ms fragments: what the sink played reaches the file soon after. timeout bounds an orphaned recorder.
        var info = Tool("timeout");
        foreach (string arg in new[]
        {
            "120", "parec", "--server=" + Server, "-d", SinkName + ".monitor", "--raw", "--latency-msec=10",
            "--format=" + PulseFormat(_format), "--rate=" + _format.SampleRate.ToString(CultureInfo.InvariantCulture),
            "--channels=" + _format.Channels.ToString(CultureInfo.InvariantCulture), _recording,
        })
        {
            info.ArgumentList.Add(arg);
        }

        _recorder = Start(info);
        // The null sink starts feeding a new monitor stream after up to a second or so: wait for its first audio.
        WaitFor(() => File.Exists(_recording) && new FileInfo(_recording).Length >= _format.BytesFor(TimeSpan.FromMilliseconds(20)), "parec to start recording", _recorder);
    }

    /// <summary>
    /// Records a little more (so what the sink played before this call is in the file), stops, and returns the
    /// recording: leading and trailing silence around what was played.
    /// </summary>
    public byte[] StopRecording()
    {
        Assert.NotNull(_recorder);
        Assert.NotNull(_recording);
        long target = new FileInfo(_recording).Length + _format.BytesFor(TimeSpan.FromMilliseconds(300));
        WaitFor(() => new FileInfo(_recording).Length >= target, "parec to record the end of the playback", _recorder);
        Stop(_recorder);
        _recorder = null;
        return File.ReadAllBytes(_recording);
    }

    /// <summary>
    /// The server's log lines about a stream that ran dry, for failure messages (a stream's start, leaving the
    /// underrun it is created in, is not one).
    /// </summary>
    public string ServerUnderruns()
    {
        string log = File.Exists(_serverLog) ? File.ReadAllText(_serverLog) : string.Empty;
        var lines = log.Split('\n')
            .Where(l => l.Contains("nderrun", StringComparison.Ordinal) && !l.Contains("end of underrun", StringComparison.Ordinal))
            .ToArray();
        return lines.Length == 0 ? "the sound server logged no underrun" : "the sound server logged:\n" + string.Join('\n', lines);
    }

    public void Dispose()
    {
        if (_recorder is not null)
        {
            Stop(_recorder);
        }

        Stop(_server);
        _directory.Dispose();
    }

    private void WaitForServer()
    {
        WaitFor(
            () =>
            {
                var (code, stdout, _) = ExternalTool.Run("pactl", "--server=" + Server, "list", "short", "sinks");
                return code == 0 && stdout.Contains(SinkName, StringComparison.Ordinal);
            },
            "the sound server to offer its null sink",
            _server);
    }

    private void WaitFor(Func<bool> condition, string what, Process process)
    {
        // Only guards against a hang: a busy machine may take its time.
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited)
            {
                Assert.Fail($"waiting for {what}: {process.StartInfo.FileName} exited with {process.ExitCode}\n{ServerLogTail()}");
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Fail($"waited 30 s for {what}\n{ServerLogTail()}");
            }

            Thread.Sleep(20);
        }
    }

    private string ServerLogTail()
        => File.Exists(_serverLog) ? "server log:\n" + string.Join('\n', File.ReadAllLines(_serverLog).TakeLast(20)) : "no server log";

    private static ProcessStartInfo Tool(string name)
        => new(name) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };

    private static Process Start(ProcessStartInfo info)
    {
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    private static string PulseFormat(AudioFormat format) => format.Encoding switch
    {
        SampleEncoding.UInt8 => "u8",
        SampleEncoding.Int16 => "s16le",
        SampleEncoding.Int24 => "s24le",
        SampleEncoding.Int32 => "s32le",
        SampleEncoding.Float32 => "float32le",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format.Encoding, "no PulseAudio sample format for this encoding"),
    };

    private static bool AlsaPulsePluginInstalled()
    {
        var directories = new List<string> { "/usr/lib/alsa-lib", "/usr/lib64/alsa-lib" };
        if (System.IO.Directory.Exists("/usr/lib"))
        {
            directories.AddRange(System.IO.Directory.GetDirectories("/usr/lib", "*-linux-*").Select(d => Path.Combine(d, "alsa-lib")));
        }

        return directories.Any(d => File.Exists(Path.Combine(d, "libasound_module_pcm_pulse.so")));
    }
}
