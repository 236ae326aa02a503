namespace Streamer.Media.Codecs;

/// <summary>
/// A codec cannot do what was asked (bad settings, a source it cannot take, a stream it cannot decode). The message
/// is one line fit for the user: the command line prints it as it is and exits with "bad input" (2).
/// </summary>
public sealed class CodecException : Exception
{
    /// <summary>Creates the exception with a one-line, user-facing <paramref name="message"/>.</summary>
    public CodecException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception without a message (prefer the constructor that takes one).</summary>
    public CodecException()
    {
    }

    /// <summary>Creates the exception with a one-line <paramref name="message"/> and the failure behind it.</summary>
    public CodecException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
