namespace Streamer.Protocol;

internal static class ProtocolVersion
{
    /// <summary>The version this build speaks; peers must match it exactly.</summary>
    public const int Current = 1;
}
