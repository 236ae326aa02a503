namespace Streamer.Protocol.Security;

/// <summary>What a token lets its holder do (a token file's second column).</summary>
[Flags]
public enum AccessRole
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Receive audio (<c>play</c>, the listener bench) and probe.</summary>
    Listen = 1,

    /// <summary>Join the chat room, and probe.</summary>
    Chat = 2,

    /// <summary>Everything, including what later versions reserve for operators.</summary>
    Admin = 4,
}
