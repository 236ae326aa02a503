using System.Buffers;
using System.Net.Sockets;
using MessagePack;
using Streamer.Protocol;

namespace Streamer.Tests.Support;

/// <summary>A hand-driven TCP peer for hostile and protocol-level tests (loopback only).</summary>
internal sealed class RawPeer : IDisposable
{
    private readonly TcpClient _client = new();

    private NetworkStream? _stream;

    public NetworkStream Stream => _stream ??= _client.GetStream();

    public Socket Socket => _client.Client;

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var peer = new RawPeer();
        await peer._client.ConnectAsync("127.0.0.1", port);
        _ = peer.Stream;
        return peer;
    }

    public static byte[] Frame(IControlMessage message)
    {
        var payload = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(payload);
        message.Write(ref writer);
        writer.Flush();
        var frame = new ArrayBufferWriter<byte>();
        FrameWriter.Write(frame, FrameHeader.Control(message.Kind), payload.WrittenSpan);
        return frame.WrittenSpan.ToArray();
    }

    public static byte[] Hello(int version = ProtocolVersion.Current, string role = "play")
        => Frame(new HelloMessage(version, role, "test", ["pcm"]));

    public async Task SendAsync(byte[] bytes) => await Stream.WriteAsync(bytes);

    /// <summary>Reads until the server closes (or <paramref name="timeout"/> passes); returns everything read.</summary>
    public async Task<byte[]> ReadToEndAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int n = await Stream.ReadAsync(buffer, cts.Token);
                if (n == 0)
                {
                    break;
                }

                all.Write(buffer, 0, n);
            }
        }
        catch (IOException)
        {
            // A reset is also the server hanging up.
        }

        return all.ToArray();
    }

    /// <summary>Parses whole frames out of bytes a peer received.</summary>
    public static List<(FrameHeader Header, byte[] Payload)> Frames(byte[] bytes)
    {
        var result = new List<(FrameHeader, byte[])>();
        var buffer = new ReadOnlySequence<byte>(bytes);
        while (FrameParser.TryRead(ref buffer, FrameParser.DefaultMaxFrameLength, out var frame, out _) == FrameReadStatus.Frame)
        {
            result.Add((frame.Header, frame.Payload.ToArray()));
        }

        return result;
    }

    /// <summary>Closes with a TCP reset instead of a graceful FIN, as a crashing peer would.</summary>
    public void Reset()
    {
        _client.Client.LingerState = new LingerOption(true, 0);
        _client.Close();
    }

    public void Dispose() => _client.Dispose();
}
