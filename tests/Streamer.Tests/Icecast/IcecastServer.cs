using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Streamer.Tests.Icecast;

/// <summary>
/// A real Icecast 2.4 (Debian icecast2) on a free loopback port, from a config generated in a temp directory, started
/// and stopped by the test. Icecast refuses to run as root: as root it runs as nobody (setpriv), as tools/bench-listeners.sh does.
/// </summary>
internal sealed class IcecastServer : IAsyncDisposable
{
    public const string SourcePassword = "test-source-secret";

    private readonly string _directory;
    private Process? _process;

    private IcecastServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string SourceUrl(string mount) => $"icecast://source:{SourcePassword}@127.0.0.1:{Port}{mount}";

    public string ListenUrl(string mount) => $"http://127.0.0.1:{Port}{mount}";

    public static async Task<IcecastServer> StartAsync(int? port = null)
    {
        Assert.True(File.Exists("/usr/bin/icecast2"), "icecast2 is not installed (Debian package icecast2; tools/test.sh installs it)");
        string directory = Path.Combine(Path.GetTempPath(), "streamer-icecast-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(directory, "log"));
        var server = new IcecastServer(directory, port ?? FreePort());
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Stops Icecast as a restart would (its sources and listeners are cut), leaving the config for <see cref="StartProcessAsync"/>.</summary>
    public async Task StopProcessAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts Icecast on <see cref="Port"/> and waits until it answers HTTP.</summary>
    public async Task StartProcessAsync()
    {
        string config = Path.Combine(_directory, "icecast.xml");
        await File.WriteAllTextAsync(config, Config());
        bool root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? "setpriv" : "icecast2") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (root)
        {
            // nobody (65534) writes the logs; the temp directory is ours.
            using (var chown = Process.Start("chown", ["-R", "65534:65534", _directory])!)
            {
                await chown.WaitForExitAsync();
            }

            foreach (string arg in new[] { "--reuid=nobody", "--regid=nogroup", "--clear-groups", "icecast2" })
            {
                start.ArgumentList.Add(arg);
            }
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        _process = Process.Start(start)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{Port}/status-json.xsl");
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Assert.False(_process.HasExited, $"icecast2 exited at once (exit {(_process.HasExited ? _process.ExitCode : 0)}); log: {ErrorLog()}");
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"icecast2 did not answer on port {Port}; log: {ErrorLog()}");
    }

    /// <summary>Waits until <paramref name="mount"/> has a source (a GET answers 200).</summary>
    public async Task WaitForMountAsync(string mount, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await http.GetAsync(ListenUrl(mount), HttpCompletionOption.ResponseHeadersRead);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"mount {mount} never came up; log: {ErrorLog()}");
    }

    /// <summary>Reads <paramref name="seconds"/> of the mount's body as a listener would.</summary>
    public async Task<byte[]> RecordAsync(string mount, double seconds)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync(ListenUrl(mount), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/ogg", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var copy = new MemoryStream();
        try
        {
            await body.CopyToAsync(copy, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return copy.ToArray();
    }

    public string ErrorLog()
    {
        string path = Path.Combine(_directory, "log", "error.log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(15)) : "(no error.log)";
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private string Config() => string.Create(CultureInfo.InvariantCulture, $"""
        <icecast>
          <location>loopback</location><admin>test@localhost</admin><hostname>127.0.0.1</hostname>
          <limits>
            <clients>50</clients><sources>4</sources><queue-size>524288</queue-size>
            <client-timeout>30</client-timeout><header-timeout>15</header-timeout><source-timeout>10</source-timeout>
            <burst-on-connect>1</burst-on-connect><burst-size>65535</burst-size>
          </limits>
          <authentication>
            <source-password>{SourcePassword}</source-password><relay-password>test-relay</relay-password>
            <admin-user>admin</admin-user><admin-password>test-admin</admin-password>
          </authentication>
          <listen-socket><port>{Port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
          <fileserve>1</fileserve>
          <paths>
            <basedir>{_directory}</basedir><logdir>{_directory}/log</logdir><pidfile>{_directory}/icecast.pid</pidfile>
            <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot>
          </paths>
          <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>3</loglevel></logging>
          <security><chroot>0</chroot></security>
        </icecast>
        """);
}
