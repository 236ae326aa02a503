namespace Streamer.Streaming.Plugins;

/// <summary>A plug-in could not be loaded or registered; the message is "plugin PATH: reason", one line.</summary>
public sealed class PluginException : Exception
{
    /// <summary>The plug-in at <paramref name="path"/> failed for <paramref name="reason"/> (the message is "plugin PATH: reason").</summary>
    public PluginException(string path, string reason)
        : base($"plugin {path}: {reason}")
    {
        Path = path;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public PluginException()
    {
        Path = "";
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the <paramref name="inner"/> cause.</summary>
    public PluginException(string message, Exception inner)
        : base(message, inner)
    {
        Path = "";
    }

    /// <summary>The plug-in as the user named it.</summary>
    public string Path { get; }
}
