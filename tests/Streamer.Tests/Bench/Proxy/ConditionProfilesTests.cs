using Streamer.Bench.Proxy;
using Streamer.Tests.Cli;

namespace Streamer.Tests.Bench.Proxy;

/// <summary>The named profiles' numbers are published in docs/bench.md: the table there is kept in step with the code.</summary>
public sealed class ConditionProfilesTests
{
    [Fact]
    public void Docs_bench_md_lists_every_profile_with_the_conditions_the_code_applies()
    {
        string[] lines = File.ReadAllLines(Path.Combine(DocumentedCommandLines.RepositoryRoot(), "docs", "bench.md"));
        foreach (string name in ConditionProfiles.Names)
        {
            Assert.True(ConditionProfiles.TryGet(name, out var conditions));
            string row = $"| `{name}` | {conditions.Describe()} |";
            Assert.True(lines.Any(l => l.StartsWith(row, StringComparison.Ordinal)), $"docs/bench.md has no profile row starting '{row}'");
        }

        Assert.False(ConditionProfiles.TryGet("lte", out _));
    }
}
