using System.Runtime.InteropServices;

namespace Streamer.Codecs.Opus;

/// <summary>
/// The system libopus, loaded by the names users actually have: the runtime package's versioned file first
/// (Debian's <c>libopus0</c> ships only <c>libopus.so.0</c>; the unversioned <c>libopus.so</c> comes with the -dev
/// package), then the other platforms' names. Called through function pointers, so neither a missing library nor
/// Concentus' own probe (which dlopens <c>libopus.so</c> and, failing, deletes a <c>./libopus.so</c>) is involved.
/// </summary>
internal sealed unsafe class LibOpus
{
    public const int Ok = 0;
    public const int InvalidPacket = -4;

    private const int SetBitrateRequest = 4002;
    private const int SetVbrRequest = 4006;
    private const int SetComplexityRequest = 4010;
    private const int SetInbandFecRequest = 4012;
    private const int SetPacketLossPercRequest = 4014;
    private const int SetDtxRequest = 4016;
    private const int SetVbrConstraintRequest = 4020;
    private const int GetLookaheadRequest = 4027;

    private static readonly Lazy<(LibOpus? Library, string? Error)> Shared = new(() => Load(DefaultCandidates()));

    private readonly delegate* unmanaged[Cdecl]<nint, int, int, int> _encoderCtlSet;
    private readonly delegate* unmanaged[Cdecl]<nint, int, int*, int> _encoderCtlGet;

    private LibOpus(nint handle, string name)
    {
        Name = name;
        EncoderCreate = (delegate* unmanaged[Cdecl]<int, int, int, int*, nint>)NativeLibrary.GetExport(handle, "opus_encoder_create");
        EncoderDestroy = (delegate* unmanaged[Cdecl]<nint, void>)NativeLibrary.GetExport(handle, "opus_encoder_destroy");
        Encode = (delegate* unmanaged[Cdecl]<nint, short*, int, byte*, int, int>)NativeLibrary.GetExport(handle, "opus_encode");
        DecoderCreate = (delegate* unmanaged[Cdecl]<int, int, int*, nint>)NativeLibrary.GetExport(handle, "opus_decoder_create");
        DecoderDestroy = (delegate* unmanaged[Cdecl]<nint, void>)NativeLibrary.GetExport(handle, "opus_decoder_destroy");
        Decode = (delegate* unmanaged[Cdecl]<nint, byte*, int, short*, int, int, int>)NativeLibrary.GetExport(handle, "opus_decode");
        // opus_encoder_ctl is variadic; with integer arguments only, the x86-64 (SysV and Windows) and AArch64
        // Linux calling conventions pass them exactly as a fixed-argument call would, as Concentus' own binding
        // relies on. Apple's arm64 ABI puts variadic arguments on the stack, so there (as with Concentus) the
        // encoder settings would not reach libopus: a known limit, untested here.
        nint ctl = NativeLibrary.GetExport(handle, "opus_encoder_ctl");
        _encoderCtlSet = (delegate* unmanaged[Cdecl]<nint, int, int, int>)ctl;
        _encoderCtlGet = (delegate* unmanaged[Cdecl]<nint, int, int*, int>)ctl;
        var versionString = (delegate* unmanaged[Cdecl]<nint>)NativeLibrary.GetExport(handle, "opus_get_version_string");
        Version = Marshal.PtrToStringUTF8(versionString()) ?? "libopus";
    }

    /// <summary>The file name it was loaded by.</summary>
    public string Name { get; }

    /// <summary>What libopus says it is, e.g. <c>libopus 1.3.1</c>.</summary>
    public string Version { get; }

    public delegate* unmanaged[Cdecl]<int, int, int, int*, nint> EncoderCreate { get; }

    public delegate* unmanaged[Cdecl]<nint, void> EncoderDestroy { get; }

    public delegate* unmanaged[Cdecl]<nint, short*, int, byte*, int, int> Encode { get; }

    public delegate* unmanaged[Cdecl]<int, int, int*, nint> DecoderCreate { get; }

    public delegate* unmanaged[Cdecl]<nint, void> DecoderDestroy { get; }

    public delegate* unmanaged[Cdecl]<nint, byte*, int, short*, int, int, int> Decode { get; }

    /// <summary>The library this process uses, or null (see <see cref="LoadError"/>).</summary>
    public static LibOpus? Instance => Shared.Value.Library;

    /// <summary>Null when libopus loaded; else one line saying what is missing and how to get it.</summary>
    public static string? LoadError => Shared.Value.Error;

    /// <summary>The names tried on this OS, most specific first.</summary>
    public static IReadOnlyList<string> DefaultCandidates()
        => OperatingSystem.IsWindows() ? ["opus.dll", "libopus-0.dll", "libopus.dll"]
            : OperatingSystem.IsMacOS() ? ["libopus.0.dylib", "libopus.dylib", "/opt/homebrew/lib/libopus.0.dylib", "/usr/local/lib/libopus.0.dylib"]
            : ["libopus.so.0", "libopus.so"];

    /// <summary>Loads the first candidate that exports the Opus API; the error names every name tried.</summary>
    public static (LibOpus? Library, string? Error) Load(IReadOnlyList<string> candidates)
    {
        string? notOpus = null;
        foreach (string candidate in candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, typeof(LibOpus).Assembly, DllImportSearchPath.SafeDirectories, out nint handle))
            {
                continue;
            }

            try
            {
                return (new LibOpus(handle, candidate), null);
            }
            catch (EntryPointNotFoundException)
            {
                NativeLibrary.Free(handle);
                notOpus ??= $"opus-native: {candidate} loaded but does not export the Opus API; reinstall libopus or use --codec opus";
            }
        }

        return (null, notOpus ?? $"opus-native needs the system libopus, and none of {string.Join(", ", candidates)} loaded: install it "
            + "(Debian/Ubuntu: apt-get install libopus0; Fedora: dnf install opus; macOS: brew install opus; Windows: put opus.dll next to streamer) or use --codec opus");
    }

    public int SetEncoderOption(nint encoder, int request, int value) => _encoderCtlSet(encoder, request, value);

    public int Lookahead(nint encoder)
    {
        int value = 0;
        int status = _encoderCtlGet(encoder, GetLookaheadRequest, &value);
        return status == Ok ? value : 0;
    }

    /// <summary>Applies the encoder settings in the order Concentus' native path did; returns the first failure.</summary>
    public int Configure(nint encoder, OpusSettings settings)
    {
        ReadOnlySpan<(int Request, int Value)> options =
        [
            (SetBitrateRequest, settings.Bitrate),
            (SetComplexityRequest, settings.Complexity),
            (SetVbrRequest, settings.Vbr ? 1 : 0),
            (SetVbrConstraintRequest, 0),
            (SetInbandFecRequest, settings.Fec ? 1 : 0),
            (SetPacketLossPercRequest, settings.ExpectedLossPercent),
            (SetDtxRequest, settings.Dtx ? 1 : 0),
        ];
        foreach (var (request, value) in options)
        {
            int status = SetEncoderOption(encoder, request, value);
            if (status != Ok)
            {
                return status;
            }
        }

        return Ok;
    }
}
