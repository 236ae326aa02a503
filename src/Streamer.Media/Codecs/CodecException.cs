namespace Streamer.Media.Codecs;

/// <summary>A codec cannot do what was asked; the message is one line fit for the user.</summary>
internal sealed class CodecException : Exception
{
    public CodecException(string message)
        : base(message)
    {
    }

    public CodecException()
    {
    }

    public CodecException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
