using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Streamer.Tests.Bench.Listeners;

/// <summary>
/// A tiny loopback HTTP server that plays an Icecast mount: it answers each GET with <see cref="Status"/> and, for
/// 200, an Ogg stream (a BOS header page, then a 20 ms audio page every 20 ms) in which every tenth page sequence
/// number is left out, so a listener that counts gaps has something to find.
/// </summary>
internal sealed class OggHttpServer : IAsyncDisposable
{
    private const int BodyBytes = 160;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _clients = [];
    private readonly Task _accepting;

    public OggHttpServer(int status)
    {
        Status = status;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Status { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Requests { get; private set; }

    /// <summary>Builds one page: capture, version 0, flags, granule, serial, sequence, CRC 0 (not checked), one segment.</summary>
    public static byte[] Page(long granule, uint sequence, bool beginsStream, int bodyBytes)
    {
        var page = new byte[27 + 1 + bodyBytes];
        "OggS"u8.CopyTo(page);
        page[5] = beginsStream ? (byte)2 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), 0x5eed);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), sequence);
        page[26] = 1;
        page[27] = (byte)bodyBytes;
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_clients);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Requests++;
                _clients.Add(ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = new StringBuilder();
                var one = new byte[1];
                while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, _stop.Token) == 1)
                {
                    request.Append((char)one[0]);
                }

                string reason = Status == 200 ? "OK" : "Forbidden";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.0 {Status} {reason}\r\nContent-Type: audio/ogg\r\n\r\n"), _stop.Token);
                if (Status != 200)
                {
                    return;
                }

                await stream.WriteAsync(Page(0, 0, beginsStream: true, 19), _stop.Token);
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
                for (uint sequence = 1; await timer.WaitForNextTickAsync(_stop.Token); sequence++)
                {
                    if (sequence % 10 == 0)
                    {
                        continue;
                    }

                    await stream.WriteAsync(Page(sequence * 960, sequence, beginsStream: false, BodyBytes), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
            {
            }
        }
    }
}
