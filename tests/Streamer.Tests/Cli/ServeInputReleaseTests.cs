using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Streamer.Cli;
using Streamer.Cli.Commands;
using Streamer.Media;
using Streamer.Media.Sources;
using Streamer.Media.Sources.Live;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// A live input is opened before the server listens (bad input fails at once); when the server then cannot start
/// (its port is taken), the input is released, not leaked: the FIFO's read end closed, and one line with exit 1.
/// </summary>
public sealed class ServeInputReleaseTests
{
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);

    [LinuxFact("mkfifo and /proc/self/fd")]
    public async Task A_fifo_is_closed_again_when_the_port_is_taken()
    {
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir);
        using var occupier = TakePort(out string port);
        using (NamedPipe.OpenReadEnd(fifo))
        {
            // The check below can see an open read end (so its empty answer means something).
            Assert.Single(DescriptorsOn(fifo));
        }

        // In this process, so that what it still holds open afterwards can be seen.
        var parse = Program.CreateRootCommand().Parse(["serve", fifo, "--format", "s16le", "--rate", "48000", "--channels", "2", "--host", "127.0.0.1", "--port", port, "-q"]);
        Assert.Empty(parse.Errors);
        int code = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Empty(DescriptorsOn(fifo));
    }

    [LinuxFact("mkfifo")]
    public async Task A_fifo_server_whose_port_is_taken_says_so_in_one_line_and_exits_1()
    {
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir);
        using var occupier = TakePort(out string port);

        var (code, stdout, stderr) = await CliProcess.RunAsync(["serve", fifo, "--format", "s16le", "--rate", "48000", "--channels", "2", "--host", "127.0.0.1", "--port", port], TimeSpan.FromSeconds(30));

        Assert.Equal(1, code);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line, got:\n" + stderr);
        Assert.Equal($"streamer: error: cannot listen on 127.0.0.1:{port}: address already in use", lines[0]);
        Assert.DoesNotContain("Serving", stdout);
    }

    [Fact]
    public async Task A_live_input_nobody_took_is_disposed_with_the_serve_input()
    {
        var source = new TrackedSource();
        var input = ServeInput.Live("fifo", source);

        Assert.True(input.IsLive);
        Assert.True(input.Holds);
        await input.DisposeAsync();

        Assert.True(source.Disposed);
        Assert.False(input.Holds);
        await Assert.ThrowsAsync<InvalidOperationException>(() => input.Open(CancellationToken.None));
    }

    [Fact]
    public async Task A_live_input_the_broadcast_took_is_the_broadcasts_to_close()
    {
        var source = new TrackedSource();
        var input = ServeInput.Live("fifo", source);

        Assert.Same(source, await input.Open(CancellationToken.None));
        Assert.False(input.Holds);
        await Assert.ThrowsAsync<InvalidOperationException>(() => input.Open(CancellationToken.None));
        await input.DisposeAsync();

        Assert.False(source.Disposed);
    }

    [Fact]
    public async Task A_reopenable_input_opens_afresh_each_time_and_holds_nothing()
    {
        int opened = 0;
        var input = ServeInput.Reopenable("in.wav", Format, _ =>
        {
            opened++;
            return Task.FromResult<IAudioSource>(new TrackedSource());
        });

        Assert.False(input.IsLive);
        var first = await input.Open(CancellationToken.None);
        var second = await input.Open(CancellationToken.None);
        await input.DisposeAsync();

        Assert.Equal(2, opened);
        Assert.NotSame(first, second);
        Assert.False(((TrackedSource)first).Disposed);
    }

    /// <summary>The descriptors this process has open on <paramref name="path"/>.</summary>
    private static List<string> DescriptorsOn(string path)
    {
        var found = new List<string>();
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                if (File.ResolveLinkTarget(fd, returnFinalTarget: false)?.FullName == path)
                {
                    found.Add(fd);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Closed meanwhile (another test's descriptor): not ours.
            }
        }

        return found;
    }

    /// <summary>A loopback port someone else holds: the server cannot bind it.</summary>
    private static TcpListener TakePort(out string port)
    {
        var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        port = ((IPEndPoint)occupier.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        return occupier;
    }

    private static string MakeFifo(TempDirectory dir)
    {
        string fifo = dir.File("mpd.fifo");
        var (code, _, error) = ExternalTool.Run("mkfifo", fifo);
        Assert.True(code == 0, error);
        return fifo;
    }

    private sealed class TrackedSource : IAudioSource
    {
        public bool Disposed { get; private set; }

        public AudioFormat Format => ServeInputReleaseTests.Format;

        public long? TotalFrames => null;

        public ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken) => ValueTask.FromResult(ReadOnlySequence<byte>.Empty);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
