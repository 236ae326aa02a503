using System.Diagnostics;
using System.Text;

namespace Streamer.Tests.Support;

/// <summary>Runs the real <c>streamer</c> binary (built beside the tests) as a user would, with a hard time limit.</summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    private CliProcess(Process process)
    {
        _process = process;
    }

    public static string StreamerDll => Path.Combine(AppContext.BaseDirectory, "streamer.dll");

    /// <summary>
    /// The variable that points the CLI tests at another <c>streamer</c> executable, e.g. the Native AOT binary:
    /// <c>STREAMER=artifacts/linux-x64/streamer tools/test.sh --filter FullyQualifiedName~Cli</c> (docs/deployment.md).
    /// </summary>
    public const string ExecutableVariable = "STREAMER";

    /// <summary>The executable under test: <see cref="ExecutableVariable"/>'s path, or null for <c>dotnet streamer.dll</c>.</summary>
    public static string? Executable => Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path ? Path.GetFullPath(path, Cli.DocumentedCommandLines.RepositoryRoot()) : null;

    /// <summary>How a shell script runs the CLI under test (quoted).</summary>
    public static string ShellCommand => Executable is { } exe ? $"'{exe}'" : $"dotnet '{StreamerDll}'";

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public int Id => _process.Id;

    /// <summary>Starts <c>streamer ARGS</c>; <paramref name="environment"/> entries are added (null value removes).</summary>
    public static CliProcess Start(IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string?>? environment = null, bool redirectStdin = false)
        => Start(Executable, args, workingDirectory, environment, redirectStdin);

    /// <summary>Starts <paramref name="executable"/> (null: <c>dotnet streamer.dll</c>) with <paramref name="args"/>.</summary>
    public static CliProcess Start(string? executable, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string?>? environment = null, bool redirectStdin = false)
    {
        var info = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (executable is null)
        {
            info.ArgumentList.Add(StreamerDll);
        }

        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(key);
                }
                else
                {
                    info.Environment[key] = value;
                }
            }
        }

        var process = new Process { StartInfo = info };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Append(cli._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => cli.Append(cli._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs to completion (killed after <paramref name="timeout"/>, default 60 s) and returns the exit code.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null, IDictionary<string, string?>? environment = null)
        => RunAsync(Executable, args, timeout, workingDirectory, environment);

    /// <summary>As <see cref="RunAsync(IEnumerable{string}, TimeSpan?, string?, IDictionary{string, string?}?)"/>, with <paramref name="executable"/> (null: <c>dotnet streamer.dll</c>).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? executable, IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null, IDictionary<string, string?>? environment = null)
    {
        await using var cli = Start(executable, args, workingDirectory, environment);
        int code = await cli.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return (code, cli.Stdout, cli.Stderr);
    }

    public StreamWriter Stdin => _process.StandardInput;

    /// <summary>Waits for a line on stdout or stderr that satisfies <paramref name="match"/>.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            foreach (string line in (_stdout.ToString() + _stderr).Split('\n'))
            {
                if (match(line))
                {
                    return Task.FromResult(line);
                }
            }

            _waiters.Add((match, found));
        }

        return found.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for exit; kills the process tree and fails if it takes longer than <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"streamer did not exit within {timeout.TotalSeconds} s.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        // The async readers may still be draining after exit.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGINT, as Ctrl+C would.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            target.Append(line).Append('\n');
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    _waiters[i].Found.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
