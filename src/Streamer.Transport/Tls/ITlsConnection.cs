using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Streamer.Transport.Tls;

/// <summary>
/// A connection that arrived on, or was made through, a TLS transport (<see cref="TlsListener"/>,
/// <see cref="TlsConnector"/>). A server can ask it whether the peer really spoke TLS: a plain client on a TLS port
/// is let through unencrypted (<see cref="IsEncrypted"/> false) only so that the server can tell it, in a frame it
/// understands, that this port needs TLS.
/// </summary>
public interface ITlsConnection : IConnection
{
    /// <summary>
    /// True once the TLS handshake completed; false for a peer whose first bytes were not a TLS handshake (the server
    /// must refuse it) and, on a server, until its first bytes have arrived.
    /// </summary>
    bool IsEncrypted { get; }

    /// <summary>The negotiated protocol (<see cref="SslProtocols.Tls13"/> by default), or <see cref="SslProtocols.None"/> when not encrypted.</summary>
    SslProtocols Protocol { get; }

    /// <summary>The certificate the peer presented (a server's, or a client's when client certificates are required), or null.</summary>
    X509Certificate2? RemoteCertificate { get; }

    /// <summary>
    /// Completes, never faulted, once it is settled what the peer speaks: the TLS handshake succeeded, failed, was
    /// aborted or ran out of its own deadline (<see cref="TlsServerOptions.HandshakeTimeout"/>), or the peer's first
    /// bytes were not TLS. A client's connection is settled when it is handed out. A server starts its hello deadline
    /// only then, so the handshake and the hello each have their own budget.
    /// </summary>
    Task Negotiated { get; }
}
