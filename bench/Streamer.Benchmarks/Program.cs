using BenchmarkDotNet.Running;

namespace Streamer.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/Streamer.Benchmarks -- --filter '*'   (BenchmarkDotNet's own arguments)
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
