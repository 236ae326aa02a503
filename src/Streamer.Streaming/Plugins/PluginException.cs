namespace Streamer.Streaming.Plugins;

/// <summary>A plug-in could not be loaded or registered; the message is "plugin PATH: reason", one line.</summary>
internal sealed class PluginException : Exception
{
    public PluginException(string path, string reason)
        : base($"plugin {path}: {reason}")
    {
        Path = path;
    }

    public PluginException()
    {
        Path = "";
    }

    public PluginException(string message, Exception inner)
        : base(message, inner)
    {
        Path = "";
    }

    /// <summary>The plug-in as the user named it.</summary>
    public string Path { get; }
}
