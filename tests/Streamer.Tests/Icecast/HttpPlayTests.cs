using System.Net;
using System.Net.Sockets;
using System.Text;
using Streamer.Bench;
using Streamer.Media;
using Streamer.Tests.Media.Codecs;
using Streamer.Tests.Support;

namespace Streamer.Tests.Icecast;

/// <summary><c>streamer play http://…</c>: a static .opus file over loopback HTTP plays whole and lined up; bad URLs and bodies give one line and the documented exit code.</summary>
public class HttpPlayTests
{
    private static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task A_static_ogg_opus_file_over_http_plays_whole_and_lines_up_with_its_source()
    {
        using var temp = new TempDirectory();
        byte[] source = IcecastEndToEndTests.KeyedTone(3);
        string wav = temp.File("in.wav");
        await File.WriteAllBytesAsync(wav, CodecTestAudio.Wav(Stereo48, source));
        string opus = temp.File("in.opus");
        var encode = ExternalTool.Run("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", wav, "-c:a", "libopus", "-b:a", "96k", "-f", "ogg", opus);
        Assert.True(encode.ExitCode == 0, encode.Stderr);
        await using var http = new StaticHttpServer(await File.ReadAllBytesAsync(opus), "audio/ogg");

        string output = temp.File("out.wav");
        var play = await CliProcess.RunAsync(["play", http.Url("/in.opus"), "--output", output, "-q"]);
        Assert.True(play.ExitCode == 0, play.Stderr);
        var received = await PcmClip.LoadAsync(output, CancellationToken.None);
        Assert.Equal(Stereo48, received.Format);
        // ffmpeg's pages (1 s each) cross packets and its last page trims the padding: the whole file, pre-skip dropped.
        Assert.InRange(received.Samples.Length / 4, source.Length / 4, (source.Length / 4) + 960);
        Assert.Equal(0, SignalComparison.BestLag(source, received.Samples, 2, 480, 48000));
        double snr = SignalComparison.SnrDb(source, received.Samples, 0, 2);
        Assert.True(snr >= 25, $"SNR {snr:0.0} dB");
    }

    [Fact]
    public async Task A_missing_mount_is_one_line_and_exit_1()
    {
        await using var http = new StaticHttpServer("<html>no</html>"u8.ToArray(), "text/html", status: 404);
        var play = await CliProcess.RunAsync(["play", http.Url("/nothing.opus"), "--output", "null"]);
        Assert.Equal(1, play.ExitCode);
        Assert.Equal($"streamer: error: {http.Url("/nothing.opus")}: the server answered HTTP 404 Not Found", play.Stderr.Trim());
    }

    [Fact]
    public async Task A_refused_connection_is_one_line_and_exit_1()
    {
        int port;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        }

        var play = await CliProcess.RunAsync(["play", $"http://127.0.0.1:{port}/live.opus", "--output", "null"]);
        Assert.Equal(1, play.ExitCode);
        Assert.Equal($"streamer: error: http://127.0.0.1:{port}/live.opus: connection refused", play.Stderr.Trim());
    }

    [Fact]
    public async Task A_body_that_is_not_ogg_is_one_line_and_exit_2()
    {
        await using var http = new StaticHttpServer(Encoding.ASCII.GetBytes(new string('x', 100_000)), "text/html");
        var play = await CliProcess.RunAsync(["play", http.Url("/page"), "--output", "null"]);
        Assert.Equal(2, play.ExitCode);
        Assert.Equal($"streamer: error: {http.Url("/page")}: not an Ogg stream (the server sent text/html)", play.Stderr.Trim());
    }

    [Fact]
    public async Task An_ogg_vorbis_stream_is_one_line_and_exit_2()
    {
        using var temp = new TempDirectory();
        string vorbis = temp.File("tone.ogg");
        var encode = ExternalTool.Run("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1", "-c:a", "libvorbis", "-f", "ogg", vorbis);
        Assert.True(encode.ExitCode == 0, encode.Stderr);
        await using var http = new StaticHttpServer(await File.ReadAllBytesAsync(vorbis), "audio/ogg");
        var play = await CliProcess.RunAsync(["play", http.Url("/tone.ogg"), "--output", "null"]);
        Assert.Equal(2, play.ExitCode);
        Assert.Equal($"streamer: error: {http.Url("/tone.ogg")}: the stream is Ogg Vorbis, not Ogg Opus: only Opus is played from HTTP", play.Stderr.Trim());
    }
}
