using System.Runtime.InteropServices;
using Concentus;
using Concentus.Enums;
using Streamer.Media.Codecs;

namespace Streamer.Codecs.Opus;

/// <summary>
/// Makes Concentus encoders and decoders, managed or over the system libopus. Concentus picks between the two with
/// one process-wide flag and, when its own probe fails, deletes a <c>./libopus.so</c> in the working directory;
/// so the flag stays off except while creating a native codec, and libopus is probed here first.
/// </summary>
internal static class OpusLibrary
{
    private static readonly Lock Gate = new();
    private static readonly Lazy<string?> NativeMissing = new(() => Probe(SystemLibraryName));

    static OpusLibrary()
    {
        OpusCodecFactory.AttemptToUseNativeLibrary = false;
    }

    /// <summary>The unversioned name .NET resolves Concentus' <c>[DllImport("opus")]</c> to on this OS.</summary>
    public static string SystemLibraryName
        => OperatingSystem.IsWindows() ? "opus.dll" : OperatingSystem.IsMacOS() ? "libopus.dylib" : "libopus.so";

    /// <summary>Null when libopus loads; else one line saying what is missing and how to get it.</summary>
    public static string? MissingNative() => NativeMissing.Value;

    /// <summary>Checks that <paramref name="libraryName"/> loads and exports the Opus API; null when it does.</summary>
    public static string? Probe(string libraryName)
    {
        if (!NativeLibrary.TryLoad(libraryName, typeof(OpusLibrary).Assembly, DllImportSearchPath.SafeDirectories, out nint handle))
        {
            return $"opus-native needs the system libopus, and {libraryName} did not load: install it (Debian/Ubuntu: apt-get install libopus-dev; macOS: brew install opus) or use --codec opus";
        }

        bool exported = NativeLibrary.TryGetExport(handle, "opus_get_version_string", out _) && NativeLibrary.TryGetExport(handle, "opus_encode", out _);
        return exported ? null : $"opus-native: {libraryName} loaded but does not export the Opus API; reinstall libopus or use --codec opus";
    }

    public static IOpusEncoder CreateEncoder(bool native, int channels, OpusApplication application)
    {
        lock (Gate)
        {
            PrepareFactory(native);
            try
            {
                var encoder = OpusCodecFactory.CreateEncoder(OpusSettings.SampleRate, channels, application);
                return CheckImplementation(encoder, native);
            }
            finally
            {
                OpusCodecFactory.AttemptToUseNativeLibrary = false;
            }
        }
    }

    public static IOpusDecoder CreateDecoder(bool native, int channels)
    {
        lock (Gate)
        {
            PrepareFactory(native);
            try
            {
                var decoder = OpusCodecFactory.CreateDecoder(OpusSettings.SampleRate, channels);
                return CheckImplementation(decoder, native);
            }
            finally
            {
                OpusCodecFactory.AttemptToUseNativeLibrary = false;
            }
        }
    }

    /// <summary>True when Concentus handed out its libopus-backed implementation.</summary>
    public static bool IsNative(object codec) => codec.GetType().Namespace == "Concentus.Native";

    private static void PrepareFactory(bool native)
    {
        if (native && MissingNative() is { } missing)
        {
            throw new CodecException(missing);
        }

        OpusCodecFactory.AttemptToUseNativeLibrary = native;
    }

    private static T CheckImplementation<T>(T codec, bool native)
        where T : class
    {
        if (IsNative(codec) != native)
        {
            (codec as IDisposable)?.Dispose();
            throw new CodecException(native
                ? "opus-native: Concentus did not bind to the system libopus; use --codec opus"
                : "opus: Concentus bound to libopus although the managed codec was asked for");
        }

        return codec;
    }
}
