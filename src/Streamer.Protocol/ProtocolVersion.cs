namespace Streamer.Protocol;

/// <summary>The protocol version exchanged in every hello.</summary>
public static class ProtocolVersion
{
    /// <summary>The version this build speaks; peers must match it exactly.</summary>
    public const int Current = 1;
}
