namespace Streamer.Transport.Tls;

/// <summary>
/// A TLS handshake failed, with one line saying why for a person (an untrusted or mismatched certificate, a peer that
/// does not speak TLS, a deadline). It is an <see cref="IOException"/>, so callers that report I/O failures report it.
/// </summary>
public sealed class TlsHandshakeException : IOException
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    /// <param name="message">What happened, in one line.</param>
    public TlsHandshakeException(string message)
        : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    /// <param name="message">What happened, in one line.</param>
    /// <param name="inner">The TLS stack's own error.</param>
    public TlsHandshakeException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>A failure with the default message.</summary>
    public TlsHandshakeException()
    {
    }
}
