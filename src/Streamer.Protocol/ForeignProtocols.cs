using System.Buffers;
using System.Text;
using Streamer.Transport;

namespace Streamer.Protocol;

/// <summary>What a peer that does not speak Streamer spoke instead, judged from its first bytes.</summary>
public enum ForeignProtocol
{
    /// <summary>Nothing recognised: a Streamer peer, or noise.</summary>
    None,

    /// <summary>"GET ", "POST", …: a browser or curl at the port.</summary>
    HttpRequest,

    /// <summary>"HTTP/": we connected to a web server.</summary>
    HttpResponse,

    /// <summary>A TLS record (0x16 0x03 0x0N handshake, 0x15 alert): https, or a TLS server.</summary>
    Tls,
}

/// <summary>
/// Recognises HTTP and TLS from the first bytes of a connection, so a port mix-up is reported as what it is
/// instead of as "a frame of 5135603447292250196 bytes" ("GET /" read as a length).
/// </summary>
public static class ForeignProtocols
{
    private static readonly byte[][] HttpMethods =
    [
        "GET "u8.ToArray(), "POST"u8.ToArray(), "HEAD"u8.ToArray(), "PUT "u8.ToArray(), "DELETE"u8.ToArray(),
        "OPTIO"u8.ToArray(), "PATCH"u8.ToArray(), "CONNECT"u8.ToArray(), "TRACE"u8.ToArray(), "PRI * HTTP/2"u8.ToArray(),
    ];

    private static readonly byte[] HttpResponsePrefix = "HTTP/"u8.ToArray();

    /// <summary>What the server answers an HTTP request with before closing; plain text a browser shows as it is.</summary>
    public static byte[] HttpReply(string service, string use)
    {
        string body = $"This is a Streamer {service} port, not a web server; use `{use}`.\n";
        string reply = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
            + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n" + body;
        return Encoding.UTF8.GetBytes(reply);
    }

    /// <summary>
    /// Answers an HTTP request with <see cref="HttpReply"/>, ends our side and waits (a second at most) for the
    /// peer to close: closing first, with its request unread, could reset the connection before it reads the reply.
    /// </summary>
    public static async Task AnswerHttpAsync(IConnection connection, string service, string use)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await connection.Output.WriteAsync(HttpReply(service, use), timeout.Token);
            await connection.Output.CompleteAsync();
            while (true)
            {
                var read = await connection.Input.ReadAsync(timeout.Token);
                connection.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    }

    /// <summary>Judges the first bytes a peer sent (a few are enough); <see cref="ForeignProtocol.None"/> when they look like no other protocol.</summary>
    public static ForeignProtocol Identify(ReadOnlySequence<byte> first)
    {
        Span<byte> head = stackalloc byte[16];
        int length = (int)Math.Min(first.Length, head.Length);
        first.Slice(0, length).CopyTo(head);
        head = head[..length];
        if (length >= 3 && head[0] is 0x16 or 0x15 && head[1] == 0x03 && head[2] <= 0x04)
        {
            return ForeignProtocol.Tls;
        }

        if (head.StartsWith(HttpResponsePrefix))
        {
            return ForeignProtocol.HttpResponse;
        }

        foreach (byte[] method in HttpMethods)
        {
            if (head.StartsWith(method))
            {
                return ForeignProtocol.HttpRequest;
            }
        }

        return ForeignProtocol.None;
    }

    /// <summary>The peer's bytes in words, e.g. "sent an HTTP request"; null for <see cref="ForeignProtocol.None"/>.</summary>
    public static string? Describe(ForeignProtocol protocol) => protocol switch
    {
        ForeignProtocol.HttpRequest => "sent an HTTP request (a browser or curl?), not Streamer frames",
        ForeignProtocol.HttpResponse => "answered in HTTP: it is a web server, not a Streamer server",
        ForeignProtocol.Tls => "spoke TLS (https?), not the Streamer protocol, which is plain TCP",
        _ => null,
    };
}
