using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Streamer.Tests.Icecast;

/// <summary>A loopback HTTP/1.0 server that answers every GET with one fixed body (a static file, an HTML page).</summary>
internal sealed class StaticHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _body;
    private readonly string _contentType;
    private readonly int _status;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public StaticHttpServer(byte[] body, string contentType, int status = 200)
    {
        _body = body;
        _contentType = contentType;
        _status = status;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url(string path) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
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
                var buffer = new byte[1];
                while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer, _stop.Token) == 1)
                {
                    request.Append((char)buffer[0]);
                }

                string head = $"HTTP/1.0 {_status} {(_status == 200 ? "OK" : "Not Found")}\r\nContent-Type: {_contentType}\r\nContent-Length: {_body.Length}\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(_body, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }
}
