using System.Text.RegularExpressions;
using Streamer.Tests.Support;
using Streamer.Tests.Web;

namespace Streamer.Tests.Icecast;

/// <summary>
/// <c>serve … --codec pcm --http-port 0 --icecast …</c> against a real Icecast: an HTTP listener and the Icecast mount
/// both get Ogg Opus, from ONE Opus encoder in the process (the transcoder logs one line when it starts; two Ogg
/// streams would log two).
/// </summary>
public sealed partial class SharedTranscoderTests
{
    [Fact]
    public async Task Http_listeners_and_icecast_share_one_opus_encoder_for_a_pcm_broadcast()
    {
        await using var icecast = await IcecastServer.StartAsync();
        var (server, _, httpPort) = await WebServerProcess.StartAsync("tone", "--codec", "pcm", "--icecast", icecast.SourceUrl("/shared.opus"));
        await using (server)
        {
            await icecast.WaitForMountAsync("/shared.opus", TimeSpan.FromSeconds(20));
            byte[] fromIcecast = await icecast.RecordAsync("/shared.opus", 2);
            byte[] fromHttp = await WebServerProcess.ReadStreamAsync(httpPort, 6000);
            foreach (byte[] data in new[] { fromIcecast, fromHttp })
            {
                var pages = WebServerProcess.Pages(data);
                Assert.True(pages.Count > 4, $"only {pages.Count} pages");
                Assert.StartsWith("OpusHead", System.Text.Encoding.ASCII.GetString(pages[0].Body), StringComparison.Ordinal);
            }

            string log = server.Stdout + server.Stderr;
            Assert.Single(TranscodingLine().Matches(log));
        }
    }

    [GeneratedRegex("transcoding the pcm broadcast")]
    private static partial Regex TranscodingLine();
}
