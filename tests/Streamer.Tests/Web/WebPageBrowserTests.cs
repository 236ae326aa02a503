using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Streamer.Tests.Support;

namespace Streamer.Tests.Web;

/// <summary>
/// The status page in a real headless Chromium (Debian chromium and chromium-driver, driven with Selenium from the
/// given paths: nothing is downloaded): it loads, lists a running <c>streamer play</c> with its reported figures,
/// which change live, and its play button makes the &lt;audio&gt; element play /stream.opus (currentTime advances,
/// no media error). A real <c>streamer chat connect</c> in the room <c>--chat-port</c> runs says a line with markup in
/// it: the page shows it live, as text. The screenshot goes to docs/images/web-page.png (shown in the README).
/// </summary>
public class WebPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";

    [Fact]
    public async Task The_page_shows_a_live_play_client_and_its_play_button_plays_the_stream()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver), "chromium and chromium-driver are not installed (tools/test.sh installs them)");
        var (server, audioPort, httpPort) = await WebServerProcess.StartAsync("tone", "--chat-port", "0");
        await using (server)
        {
            // The chat member starts (and is done starting up) before the player: its start on a 2-core machine is no
            // reason for the player to underrun.
            await using var member = CliProcess.Start(["chat", "connect", $"127.0.0.1:{WebServerProcess.ChatPort(server)}", "--name", "ann"], redirectStdin: true);
            await member.WaitForLineAsync(l => l.Contains("you joined as ann", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            await using var play = CliProcess.Start(["play", $"127.0.0.1:{audioPort}", "--output", "paced-null", "--duration", "600s"]);
            await WebStatusTests.WaitForReportAsync(httpPort, packetsAbove: 0);
            using var profile = new TempDirectory();
            using var driver = StartChromium(profile.Path);
            driver.Navigate().GoToUrl($"http://127.0.0.1:{httpPort}/");
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(60)) { PollingInterval = TimeSpan.FromMilliseconds(200) };

            // The listener table fills from the server-sent events, with the player's own report.
            string latency = wait.Until(d => Text(d, "#protocol-listeners tbody tr td.latency") is { } t && t.EndsWith(" ms", StringComparison.Ordinal) ? t : null);
            Assert.Matches(@"^\d+\.\d ms$", latency);
            // paced-null plays through the jitter buffer: a depth and a non-zero target.
            Assert.Matches(@"^\d+ / [1-9]\d* ms$", Text(driver, "#protocol-listeners tbody tr td.buffer")!);
            // The player's own underrun count (a number; how many depends on the machine's load, not on the page).
            Assert.Matches(@"^\d+$", Text(driver, "#protocol-listeners tbody tr td.underruns")!);
            Assert.Equal("pcm", Text(driver, "#codec"));
            Assert.Equal("48000 Hz", Text(driver, "#rate"));
            string row = Text(driver, "#protocol-listeners tbody tr")!;
            wait.Until(d => Text(d, "#protocol-listeners tbody tr") is { } now && now != row);

            driver.FindElement(By.Id("play")).Click();
            var js = (IJavaScriptExecutor)driver;
            wait.Until(_ => Convert.ToDouble(js.ExecuteScript("return document.getElementById('player').currentTime;"), System.Globalization.CultureInfo.InvariantCulture) > 1.5);
            Assert.Null(js.ExecuteScript("return document.getElementById('player').error;"));
            Assert.Equal(false, js.ExecuteScript("return document.getElementById('player').paused;"));
            // The browser is now an HTTP listener too.
            wait.Until(d => Text(d, "#http-count") == "1");

            // The room, live: a line said now appears within the next event, its markup shown as text.
            await member.Stdin.WriteLineAsync("hello from the chat <b>not bold</b>");
            await member.Stdin.FlushAsync();
            wait.Until(d => Text(d, "#chat-lines") is { } lines && lines.Contains("ann: hello from the chat <b>not bold</b>", StringComparison.Ordinal));
            Assert.Equal(0L, js.ExecuteScript("return document.querySelectorAll('#chat-lines .chat-text b').length;"));
            Assert.Equal("Here: ann", Text(driver, "#chat-members"));

            string screenshot = Path.Combine(RepositoryRoot(), "docs", "images", "web-page.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(screenshot);
            Assert.True(new FileInfo(screenshot).Length > 10_000);
        }
    }

    private static ChromeDriver StartChromium(string profile)
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--autoplay-policy=no-user-gesture-required", "--window-size=1100,1000", "--user-data-dir=" + profile);
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
    }

    /// <summary>The element's text in one script call: the page replaces its table rows every second, so an element
    /// found in one call may be gone by the next.</summary>
    private static string? Text(IWebDriver driver, string css)
        => ((IJavaScriptExecutor)driver).ExecuteScript("const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : null;", css) as string;

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Streamer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("the repository root (Streamer.sln) is not above the test binaries");
    }
}
