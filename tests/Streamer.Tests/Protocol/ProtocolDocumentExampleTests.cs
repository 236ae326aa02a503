using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using MessagePack;
using Streamer.Chat;
using Streamer.Protocol;
using Streamer.Protocol.Hosting;
using Streamer.Tests.Support;

namespace Streamer.Tests.Protocol;

/// <summary>
/// docs/protocol.md and the code in step: the byte-level examples are read out of the document and compared with
/// what the real writer produces, and the limits the document states are the code's.
/// </summary>
public partial class ProtocolDocumentExampleTests
{
    private const long ExampleSendTime = 1_764_064_800_000_000;

    [Fact]
    public void Hello_example_is_what_the_writer_produces_with_this_builds_agent()
    {
        byte[] expected = Control(new HelloMessage(1, "play", Handshake.Agent, ["pcm"]));

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(Example("Hello")));
        Assert.Contains($"\"agent\": \"{Handshake.Agent}\"", Document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hello_agent_is_streamer_slash_the_version_that_streamer_version_prints()
    {
        var (code, stdout, _) = await CliProcess.RunAsync(["--version"]);

        Assert.Equal(0, code);
        string version = stdout.Trim();
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        Assert.Equal("streamer/" + (plus < 0 ? version : version[..plus]), Handshake.Agent);
        Assert.Matches(@"^streamer/\d+\.\d+\.\d+", Handshake.Agent);
    }

    [Fact]
    public void Audio_example_is_what_the_writer_produces_and_parses_back()
    {
        byte[] samples = [0x01, 0x00, 0xFF, 0xFF, 0x02, 0x00, 0xFE, 0xFF];
        var frame = new ArrayBufferWriter<byte>();
        FrameWriter.Write(frame, new FrameHeader(FrameKind.Audio, 2, 1920, ExampleSendTime + 40_000), samples);

        byte[] example = Example("Audio");
        Assert.Equal(Convert.ToHexString(example), Convert.ToHexString(frame.WrittenSpan));
        var buffer = new ReadOnlySequence<byte>(example);
        Assert.Equal(FrameReadStatus.Frame, FrameParser.TryRead(ref buffer, 1024, out var parsed, out _));
        Assert.Equal(samples, parsed.Payload.ToArray());
    }

    [Fact]
    public void Audio_with_a_presentation_time_example_is_what_the_writer_produces_and_both_readers_parse()
    {
        byte[] samples = [0x01, 0x00, 0xFF, 0xFF, 0x02, 0x00, 0xFE, 0xFF];
        var frame = new ArrayBufferWriter<byte>();
        FrameWriter.Write(frame, new FrameHeader(FrameKind.Audio, 2, 1920, ExampleSendTime + 40_000, ExampleSendTime + 140_000), samples);

        byte[] example = Example("Audio with a presentation time");
        Assert.Equal(Convert.ToHexString(example), Convert.ToHexString(frame.WrittenSpan));
        var buffer = new ReadOnlySequence<byte>(example);
        Assert.Equal(FrameReadStatus.Frame, FrameParser.TryRead(ref buffer, 1024, out var parsed, out _));
        Assert.Equal(ExampleSendTime + 140_000, parsed.Header.PresentationTimeUs);
        Assert.Equal(samples, parsed.Payload.ToArray());
        // The four-element example of the same frame has none.
        var old = new ReadOnlySequence<byte>(Example("Audio"));
        Assert.Equal(FrameReadStatus.Frame, FrameParser.TryRead(ref old, 1024, out var plain, out _));
        Assert.False(plain.Header.HasPresentationTime);
    }

    [Fact]
    public void End_of_stream_example_is_what_the_writer_produces()
    {
        Assert.Equal(Convert.ToHexString(Control(new EndOfStreamMessage(48, 46080, 50))), Convert.ToHexString(Example("End of stream")));
        var end = EndOfStreamMessage.Read(Payload(Example("End of stream")));
        Assert.Equal(50, end.ExpectedFrames);
    }

    [Fact]
    public void Chat_example_is_what_the_writer_produces()
    {
        Assert.Equal(Convert.ToHexString(Control(new ChatMessage("alice", "hi", ChatEvents.Message))), Convert.ToHexString(Example("Chat")));
    }

    [Fact]
    public void The_limits_the_document_states_are_the_codes()
    {
        Assert.Equal(1024 * 1024, FrameParser.DefaultMaxFrameLength);
        Assert.Contains("audio server and `play`: 1 MiB", Document, StringComparison.Ordinal);
        Assert.Equal(16 * 1024, new ChatServerOptions().Connection.MaxFrameLength);
        Assert.Contains("chat server: 16 KiB", Document, StringComparison.Ordinal);
        Assert.Contains($"at most {MapReader.MaxEntries} entries", Document, StringComparison.Ordinal);
        Assert.Contains($"strings of at most {MapReader.MaxStringBytes / 1024} KiB", Document, StringComparison.Ordinal);
        string flat = Whitespace().Replace(Document, " ");
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"for at most {Refusal.Linger.TotalSeconds:0} s and {Refusal.MaxDrainBytes / 1024} KiB"), flat, StringComparison.Ordinal);
        Assert.Contains($"at most {ChatServerOptions.MaxNameLength} UTF-16 code units", Document, StringComparison.Ordinal);
        Assert.Contains($"`text` is at most {ChatServerOptions.MaxMessageBytes} UTF-8 bytes", Document, StringComparison.Ordinal);

        // The connection host's limits (every server accepts through it).
        var host = new Streamer.Protocol.Hosting.ConnectionHostOptions();
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"the whole hello within {host.HandshakeTimeout.TotalSeconds:0} s of connecting"), Document, StringComparison.Ordinal);
        Assert.Contains($"{host.MaxPendingConnections} per server, {host.MaxPendingPerAddress} per address", Document, StringComparison.Ordinal);
        var rate = Streamer.Protocol.MinDataRate.Default;
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"at least {rate.BytesPerSecond:0} B/s after a {rate.Grace.TotalSeconds:0} s grace"), Document, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"audio server {new Streamer.Streaming.Send.StreamServerOptions().ProbeIdleTimeout.TotalSeconds:0} s"), Document, StringComparison.Ordinal);
    }

    private static string Document { get; } = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "protocol.md"));

    /// <summary>The bytes of the first code block after the heading "### <paramref name="heading"/>" in the section
    /// "Byte-level examples": on each line, the
    /// two-digit hex tokens before the first word that is not one (the comment).</summary>
    private static byte[] Example(string heading)
    {
        int section = Document.IndexOf("\n## Byte-level examples\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "docs/protocol.md has no section 'Byte-level examples'");
        int at = Document.IndexOf("\n### " + heading + "\n", section, StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/protocol.md has no example headed '{heading}'");
        int open = Document.IndexOf("```\n", at, StringComparison.Ordinal) + 4;
        int close = Document.IndexOf("\n```", open, StringComparison.Ordinal);
        var bytes = new List<byte>();
        foreach (string line in Document[open..close].Split('\n'))
        {
            foreach (string token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!HexByte().IsMatch(token))
                {
                    break;
                }

                bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        Assert.NotEmpty(bytes);
        return [.. bytes];
    }

    private static ReadOnlySequence<byte> Payload(byte[] frame)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        Assert.Equal(FrameReadStatus.Frame, FrameParser.TryRead(ref buffer, 1024, out var parsed, out _));
        return parsed.Payload;
    }

    private static byte[] Control(IControlMessage message)
    {
        var payload = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(payload);
        message.Write(ref writer);
        writer.Flush();
        var frame = new ArrayBufferWriter<byte>();
        FrameWriter.Write(frame, new FrameHeader(message.Kind, 0, 0, ExampleSendTime), payload.WrittenSpan);
        return frame.WrittenSpan.ToArray();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Streamer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Streamer.sln) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[0-9a-f]{2}$")]
    private static partial Regex HexByte();
}
