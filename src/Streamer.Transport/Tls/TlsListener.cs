using System.Net;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Tls;

/// <summary>
/// TLS in front of any listener: each accepted connection is handed out at once as an <see cref="ITlsConnection"/>
/// whose handshake runs in the background, so the accept loop never waits for a peer and a slow handshake is bounded
/// by the host's hello deadline like a slow hello. A peer whose first bytes are not a TLS handshake is passed through
/// in clear with <see cref="ITlsConnection.IsEncrypted"/> false, for the server to refuse (<c>tls-required</c>).
/// </summary>
public sealed class TlsListener : IConnectionListener
{
    private readonly IConnectionListener _inner;
    private readonly TlsServerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="inner"/> (which this listener then owns).</summary>
    /// <param name="inner">The listener that accepts the raw connections.</param>
    /// <param name="options">The certificate and protocols.</param>
    /// <param name="logger">Where handshake failures are logged.</param>
    public TlsListener(IConnectionListener inner, TlsServerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc/>
    public EndPoint EndPoint => _inner.EndPoint;

    /// <inheritdoc/>
    public async ValueTask<IConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _inner.AcceptAsync(cancellationToken);
        return connection is null ? null : TlsConnection.Accept(connection, _options, _logger);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
