using System.Diagnostics;

namespace Streamer.Tests.Support;

/// <summary>Runs tools users check files with (sox, ffprobe, opusinfo, …).</summary>
public static class ExternalTool
{
    public static bool Exists(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(dir => File.Exists(System.IO.Path.Combine(dir, name)));

    public static (int ExitCode, string Stdout, string Stderr) Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within 120 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
