using System.Diagnostics.CodeAnalysis;
using Streamer.Protocol;
using Streamer.Streaming;
using Streamer.Streaming.Plugins;

namespace Streamer.Cli;

/// <summary>
/// Finds the <c>--plugin</c> options and <c>$STREAMER_PLUGINS</c> in the raw arguments and loads those plug-ins into the
/// codec registry before the command tree is built (the tree's codec options list the registry's names). The option is
/// also declared in the tree (<see cref="GlobalOptions.Plugins"/>) so the parser accepts it and --help shows it.
/// </summary>
internal static class PluginOptions
{
    /// <summary>Loads every plug-in; returns the one-line failure of the first that does not load, or null.</summary>
    public static string? LoadAll(IReadOnlyList<string> args)
    {
        try
        {
            var paths = CodecPluginLoader.Collect(Paths(args), Environment.GetEnvironmentVariable(CodecPluginLoader.DirectoryVariable));
            if (!Supported)
            {
                return paths.Count == 0 ? null : $"{paths[0]}: plug-ins cannot load in the native (Native AOT) build of streamer; run the .NET build (dotnet streamer.dll, or the Streamer.Tool package) to use them";
            }

            LoadEach(paths);
            return null;
        }
        catch (PluginException ex)
        {
            // Plug-in messages carry the plug-in's own words (its exception text): one neutralized line.
            return PeerText.Sanitize(ex.Message);
        }
    }

    /// <summary>
    /// False in the Native AOT build (tools/publish.sh sets the switch, and the compiler then drops the loader): a
    /// plug-in is IL that only a JIT can run.
    /// </summary>
    [FeatureSwitchDefinition(SupportedSwitch)]
    internal static bool Supported => !AppContext.TryGetSwitch(SupportedSwitch, out bool enabled) || enabled;

    private const string SupportedSwitch = "Streamer.Cli.PluginsSupported";

    /// <summary>Only called when <see cref="Supported"/>: a JIT build, where nothing is trimmed.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reached only when Supported is true, i.e. not in the Native AOT build: its feature switch makes Supported a constant false there, and the compiler removes this call.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above: a JIT build only.")]
    private static void LoadEach(IReadOnlyList<string> paths)
    {
        foreach (string path in paths)
        {
            CodecPluginLoader.Load(path, CodecRegistry.Default);
        }
    }

    /// <summary>The values of <c>--plugin PATH</c> and <c>--plugin=PATH</c>, up to a <c>--</c>.</summary>
    public static IEnumerable<string> Paths(IReadOnlyList<string> args)
    {
        const string Name = "--plugin";
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                yield break;
            }

            if (arg == Name && i + 1 < args.Count)
            {
                yield return args[++i];
            }
            else if (arg.StartsWith(Name + "=", StringComparison.Ordinal))
            {
                yield return arg[(Name.Length + 1)..];
            }
        }
    }
}
