using System.Net;

namespace Streamer.Transport.Tls;

/// <summary>
/// TLS over any connector: connects with the inner one, then runs the client handshake within
/// <see cref="TlsClientOptions.HandshakeTimeout"/> and checks the server's certificate. A failed handshake is a
/// <see cref="TlsHandshakeException"/> with one line saying why (an untrusted or mismatched certificate, a plain server).
/// </summary>
public sealed class TlsConnector : IConnectionFactory
{
    private readonly IConnectionFactory _inner;
    private readonly TlsClientOptions _options;

    /// <summary>TLS over <paramref name="inner"/>'s connections, checked as <paramref name="options"/> say.</summary>
    /// <param name="inner">Makes the raw connection (sockets, memory).</param>
    /// <param name="options">How the server's certificate is checked.</param>
    public TlsConnector(IConnectionFactory inner, TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _options = options;
    }

    /// <inheritdoc/>
    public async ValueTask<IConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken = default)
    {
        var connection = await _inner.ConnectAsync(endPoint, cancellationToken);
        return await AuthenticateAsync(connection, TargetHost(endPoint), _options, cancellationToken);
    }

    /// <summary>
    /// The client handshake over a connection made elsewhere (the probe times its own connects). On failure
    /// <paramref name="connection"/> is disposed and a <see cref="TlsHandshakeException"/> thrown.
    /// </summary>
    /// <param name="connection">The raw connection, running.</param>
    /// <param name="targetHost">The name the server's certificate must carry (SNI), unless pinned or insecure.</param>
    /// <param name="options">How the certificate is checked.</param>
    /// <param name="cancellationToken">Abandons the handshake.</param>
    public static async ValueTask<IConnection> AuthenticateAsync(IConnection connection, string targetHost, TlsClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        return await TlsConnection.ConnectAsync(connection, targetHost, options, cancellationToken);
    }

    private static string TargetHost(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => dns.Host,
        IPEndPoint ip => ip.Address.ToString(),
        _ => "localhost",
    };
}
