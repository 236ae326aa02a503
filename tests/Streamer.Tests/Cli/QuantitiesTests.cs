using Streamer.Cli;

namespace Streamer.Tests.Cli;

/// <summary>The one parser for the quantities people type: bitrates, durations, sizes, numbers; good and bad spellings.</summary>
public class QuantitiesTests
{
    [Theory]
    [InlineData("64", 64)]
    [InlineData("64k", 64)]
    [InlineData("64K", 64)]
    [InlineData("64kbps", 64)]
    [InlineData("64Kbps", 64)]
    [InlineData("64kbit/s", 64)]
    [InlineData("64 kbit/s", 64)]
    [InlineData("64kb/s", 64)]
    [InlineData("64000", 64)]
    [InlineData("64000bps", 64)]
    [InlineData("64000 bit/s", 64)]
    [InlineData("6000", 6)]
    [InlineData("5999", 5999)]
    [InlineData("510", 510)]
    [InlineData("510000", 510)]
    [InlineData("12.5k", 12.5)]
    [InlineData("1.5M", 1500)]
    [InlineData("1mbps", 1000)]
    [InlineData(" 96 ", 96)]
    [InlineData("-1", -1)]
    [InlineData("6e4", 60)]
    public void Bitrates_in_every_spelling(string text, double kbps)
    {
        Assert.True(Quantities.TryParseBitrate(text, out double parsed), text);
        Assert.Equal(kbps, parsed, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("k")]
    [InlineData("64x")]
    [InlineData("64kbpsx")]
    [InlineData("64 k b")]
    [InlineData("sixty-four")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e999")]
    [InlineData("64,000")]
    [InlineData("64e")]
    [InlineData("0x40")]
    [InlineData("64kHz")]
    [InlineData("--64")]
    [InlineData("64ms")]
    public void Bad_bitrates_do_not_parse(string text)
        => Assert.False(Quantities.TryParseBitrate(text, out _), text);

    [Theory]
    [InlineData("20ms", 20)]
    [InlineData("20 ms", 20)]
    [InlineData("20MS", 20)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("2min", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("500us", 0.5)]
    [InlineData("2.5", 2500)]
    [InlineData("3 seconds", 3000)]
    [InlineData("0", 0)]
    [InlineData("-1", -1000)]
    public void Durations_with_a_bare_number_in_seconds(string text, double milliseconds)
    {
        Assert.True(Quantities.TryParseDuration(text, TimeSpan.FromSeconds(1), out var parsed), text);
        Assert.Equal(milliseconds, parsed.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("20", 20)]
    [InlineData("2.5", 2.5)]
    [InlineData("20ms", 20)]
    [InlineData("0.02s", 20)]
    [InlineData("-1", -1)]
    public void Millisecond_options_take_a_bare_number_as_ms(string text, double milliseconds)
    {
        Assert.True(Quantities.TryParseMilliseconds(text, out double parsed), text);
        Assert.Equal(milliseconds, parsed, 9);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("3s", 3)]
    [InlineData("500ms", 0.5)]
    [InlineData("1.5m", 90)]
    public void Second_options_take_a_bare_number_as_seconds(string text, double seconds)
    {
        Assert.True(Quantities.TryParseSeconds(text, out double parsed), text);
        Assert.Equal(seconds, parsed, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ms")]
    [InlineData("5x")]
    [InlineData("1y")]
    [InlineData("1.2.3s")]
    [InlineData("2d")]
    [InlineData("NaN")]
    [InlineData("NaNms")]
    [InlineData("1e30s")]
    [InlineData("25h")]
    [InlineData("1m30s")]
    [InlineData("00:01")]
    public void Bad_durations_do_not_parse(string text)
        => Assert.False(Quantities.TryParseDuration(text, TimeSpan.FromSeconds(1), out _), text);

    [Theory]
    [InlineData("4096", 4096)]
    [InlineData("64k", 65536)]
    [InlineData("64K", 65536)]
    [InlineData("64KiB", 65536)]
    [InlineData("64kB", 64000)]
    [InlineData("1M", 1_048_576)]
    [InlineData("1MiB", 1_048_576)]
    [InlineData("1 MiB", 1_048_576)]
    [InlineData("1.5MB", 1_500_000)]
    [InlineData("2G", 2_147_483_648)]
    [InlineData("100 bytes", 100)]
    [InlineData("16b", 16)]
    public void Sizes_in_every_spelling(string text, long bytes)
    {
        Assert.True(Quantities.TryParseSize(text, out long parsed), text);
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("KiB")]
    [InlineData("64q")]
    [InlineData("1TiB")]
    [InlineData("1e300")]
    [InlineData("1e30G")]
    [InlineData("NaN")]
    [InlineData("64 k i b")]
    public void Bad_sizes_do_not_parse(string text)
        => Assert.False(Quantities.TryParseSize(text, out _), text);

    [Theory]
    [InlineData("64", true, 64)]
    [InlineData("-1", true, -1)]
    [InlineData(" 7 ", true, 7)]
    [InlineData("1.5", false, 0)]
    [InlineData("1e3", false, 0)]
    [InlineData("99999999999", false, 0)]
    [InlineData("abc", false, 0)]
    [InlineData("", false, 0)]
    [InlineData("5k", false, 0)]
    public void Integers(string text, bool ok, int value)
    {
        Assert.Equal(ok, Quantities.TryParseInteger(text, out int parsed));
        if (ok)
        {
            Assert.Equal(value, parsed);
        }
    }

    [Theory]
    [InlineData("10", true, 10)]
    [InlineData("10%", true, 10)]
    [InlineData("10 %", true, 10)]
    [InlineData("10%%", false, 0)]
    [InlineData("%", false, 0)]
    [InlineData("ten", false, 0)]
    public void Percentages(string text, bool ok, int value)
    {
        Assert.Equal(ok, Quantities.TryParsePercent(text, out int parsed));
        if (ok)
        {
            Assert.Equal(value, parsed);
        }
    }

    [Theory]
    [InlineData("20", true)]
    [InlineData("2.5", true)]
    [InlineData("-3", true)]
    [InlineData("1e3", true)]
    [InlineData("20ms", false)]
    [InlineData("NaN", false)]
    [InlineData("-Infinity", false)]
    [InlineData(".", false)]
    [InlineData("", false)]
    public void Plain_numbers_take_no_unit(string text, bool ok)
        => Assert.Equal(ok, Quantities.TryParseNumber(text, out _));
}
