using Streamer.Codecs.Opus;

namespace Streamer.Tests.Codecs.Opus;

/// <summary>The tests of <c>opus-native</c> need libopus: without it they fail, saying what to install.</summary>
internal static class OpusNative
{
    public static void Require()
    {
        if (OpusLibrary.MissingNative() is { } missing)
        {
            Assert.Fail($"libopus is missing, so opus-native cannot be tested: install libopus0 (apt-get install libopus0 opus-tools; tools/test.sh does) ({missing})");
        }
    }
}
