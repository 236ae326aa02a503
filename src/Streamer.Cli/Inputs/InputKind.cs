namespace Streamer.Cli.Inputs;

/// <summary>What <c>serve INPUT</c> reads.</summary>
internal enum InputKind
{
    /// <summary>A WAV file (or raw PCM with <c>--format</c>): read from the start by each opener, paced by the engine.</summary>
    File,

    /// <summary><c>-</c>: standard input, WAV of unknown length or raw PCM; live, paced by its writer.</summary>
    StandardInput,

    /// <summary>A named pipe, re-opened for each writer; live, paced by its writers, silence or nothing between them.</summary>
    Fifo,

    /// <summary><c>device</c>: a PortAudio capture device; live, paced by the device's clock.</summary>
    Device,

    /// <summary><c>tone</c>: the demo's test signal, endless unless <c>--seconds</c>; generated, paced by the engine.</summary>
    Tone,
}
