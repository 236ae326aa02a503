namespace Streamer.Probe;

/// <summary>Why a target is down. The text forms are what the table and the JSON show: never change them.</summary>
public enum ProbeFailure
{
    /// <summary>Up: nothing failed.</summary>
    None,

    /// <summary>The name did not resolve to any address.</summary>
    NotResolved,

    /// <summary>Something answered and said nobody listens on that port.</summary>
    Refused,

    /// <summary>No answer within the timeout (a filtered port, a full backlog, a silent host).</summary>
    TimedOut,

    /// <summary>No route to the host or network.</summary>
    Unreachable,

    /// <summary>Anything else (permission denied, reset, …); the detail says what.</summary>
    Failed,
}
