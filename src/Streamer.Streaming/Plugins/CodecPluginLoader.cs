using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.Loader;
using Streamer.Media.Codecs;

namespace Streamer.Streaming.Plugins;

/// <summary>
/// Loads codec plug-ins: each assembly in its own <see cref="AssemblyLoadContext"/> that resolves the plug-in's own
/// dependencies beside it (its .deps.json) but shares the Streamer.Media contract with the host, so the plug-in's
/// <see cref="IAudioCodec"/> is the host's type. Every public, non-abstract <see cref="IAudioCodec"/> with a
/// parameterless constructor is created once and registered.
/// </summary>
public static class CodecPluginLoader
{
    /// <summary>The environment variable naming a directory whose every *.dll is loaded as a plug-in.</summary>
    public const string DirectoryVariable = "STREAMER_PLUGINS";

    /// <summary>Why loading cannot work in a trimmed, ahead-of-time compiled host: the plug-in's code was never compiled.</summary>
    private const string NeedsJit = "A plug-in is IL loaded at run time: it needs the JIT and untrimmed framework assemblies (not the Native AOT build).";

    /// <summary>The plug-in paths to load: the <c>--plugin</c> files, then every *.dll of <see cref="DirectoryVariable"/>.</summary>
    public static IReadOnlyList<string> Collect(IEnumerable<string> files, string? directory)
    {
        var paths = new List<string>(files);
        if (!string.IsNullOrEmpty(directory))
        {
            if (!Directory.Exists(directory))
            {
                throw new PluginException(directory, $"{DirectoryVariable} names no directory");
            }

            var found = Directory.GetFiles(directory, "*.dll");
            Array.Sort(found, StringComparer.Ordinal);
            paths.AddRange(found);
        }

        return paths;
    }

    /// <summary>
    /// Loads one plug-in into <paramref name="registry"/> and returns the names of its codecs. Every failure (not
    /// found, not a .NET assembly, built against another contract, a throwing constructor, a name clash, no codec at
    /// all) throws <see cref="PluginException"/> with a one-line reason.
    /// </summary>
    [RequiresUnreferencedCode(NeedsJit)]
    [RequiresDynamicCode(NeedsJit)]
    public static IReadOnlyList<string> Load(string path, CodecRegistry registry)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new PluginException(path, "no such file");
        }

        Assembly assembly;
        try
        {
            assembly = new PluginLoadContext(full).LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException)
        {
            throw new PluginException(path, "not a .NET assembly");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PluginException(path, ex.Message);
        }

        var codecs = new List<IAudioCodec>();
        foreach (var type in CodecTypes(path, assembly))
        {
            try
            {
                codecs.Add((IAudioCodec)Activator.CreateInstance(type)!);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
            {
                throw new PluginException(path, $"{type.FullName}'s constructor threw {inner.GetType().Name}: {inner.Message}");
            }
        }

        if (codecs.Count == 0)
        {
            throw new PluginException(path, $"no public {nameof(IAudioCodec)} with a parameterless constructor (built against Streamer.Media {typeof(IAudioCodec).Assembly.GetName().Version}?)");
        }

        var names = new List<string>();
        foreach (var codec in codecs)
        {
            try
            {
                registry.RegisterPlugin(codec, full);
            }
            catch (CodecException ex)
            {
                throw new PluginException(path, ex.Message);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new PluginException(path, $"{codec.GetType().FullName} threw {ex.GetType().Name}: {ex.Message}");
            }

            names.Add(codec.Name);
        }

        return names;
    }

    [RequiresUnreferencedCode(NeedsJit)]
    private static Type[] CodecTypes(string path, Assembly assembly)
    {
        Type[] exported;
        try
        {
            exported = assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new PluginException(path, $"its types do not load ({ex.GetType().Name}: {FirstLine(ex.Message)})");
        }

        return Array.FindAll(exported, type => type.IsClass && !type.IsAbstract && typeof(IAudioCodec).IsAssignableFrom(type)
            && type.GetConstructor(Type.EmptyTypes) is not null);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();

    /// <summary>The plug-in's own context: its dependencies from beside it, the contract (and the runtime) from the host.</summary>
    [RequiresUnreferencedCode(NeedsJit)]
    private sealed class PluginLoadContext : AssemblyLoadContext
    {
        private static readonly string ContractName = typeof(IAudioCodec).Assembly.GetName().Name!;

        private readonly AssemblyDependencyResolver _resolver;

        public PluginLoadContext(string path)
            : base(Path.GetFileNameWithoutExtension(path))
        {
            _resolver = new AssemblyDependencyResolver(path);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Null defers to the default context: the host's Streamer.Media (and what it references) is shared, so
            // IAudioCodec is one type on both sides.
            if (assemblyName.Name is { } name && (name == ContractName || name.StartsWith("Streamer.", StringComparison.Ordinal)))
            {
                return null;
            }

            return _resolver.ResolveAssemblyToPath(assemblyName) is { } file ? LoadFromAssemblyPath(file) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
            => _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } file ? LoadUnmanagedDllFromPath(file) : IntPtr.Zero;
    }
}
