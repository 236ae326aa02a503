using Streamer.Bench.Listeners;
using Streamer.Tests.Support;

namespace Streamer.Tests.Bench.Listeners;

public class ProcessSamplerTests
{
    [Fact]
    public void Cpu_is_read_from_the_fields_after_the_command_name_even_when_it_holds_spaces_and_parentheses()
    {
        const string stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 150 0 0 20 0 12 0 77 1000000 2000 18446744073709551615";

        Assert.Equal(TimeSpan.FromSeconds(4), ProcessSampler.ParseCpu(stat));
        Assert.Equal(TimeSpan.FromSeconds(2.5), ProcessSampler.ParseUserCpu(stat));
    }

    [Fact]
    public void Rss_is_read_from_a_tab_separated_status_line()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t  999 kB\nVmRSS:\t   51200 kB\nThreads:\t9\n";

        Assert.Equal(51200L * 1024, ProcessSampler.ParseRss(status));
    }

    [LinuxFact("/proc is Linux's")]
    public void This_process_can_be_sampled_and_a_missing_one_cannot()
    {
        var own = ProcessSampler.TryRead(Environment.ProcessId);

        Assert.NotNull(own);
        Assert.True(own.Value.RssBytes > 1024 * 1024, $"VmRSS {own.Value.RssBytes} bytes");
        Assert.True(own.Value.CpuTime > TimeSpan.Zero);
        Assert.Null(ProcessSampler.TryRead(int.MaxValue));
    }
}
