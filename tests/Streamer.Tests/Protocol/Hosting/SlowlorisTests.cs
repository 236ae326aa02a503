using System.Globalization;
using System.Net;
using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Protocol.Hosting;

/// <summary>
/// Sockets that never finish their hello must not keep real clients out, on the audio port and the chat port,
/// against the real binary. The attack comes from 64 other hosts (127.0.0.2…), so both the pool (512) and the
/// per-address limit (16) are full all the time. (An attacker on the real client's own address can evict it: that
/// address's limit is what keeps it from hurting every other address; ConnectionHostTests covers it.)
/// </summary>
public class SlowlorisTests
{
    private static readonly TimeSpan SustainedAttack = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_thousand_idle_and_half_hello_sockets_do_not_keep_a_listener_out()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        byte[] samples = WavFixture.Write(dir.File("in.wav"), format, 8000);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"));
        await using (server)
        {
            using var attack = new HostileSockets();
            await attack.OpenManyAsync(port, 500, Attacker);
            await attack.OpenManyAsync(port, 500, Attacker, HostileSockets.HalfHello);

            await PlayBitExactAsync(port, dir, samples);
            Assert.False(server.Stdout.Contains("Unhandled", StringComparison.Ordinal) || server.Stderr.Contains("Unhandled", StringComparison.Ordinal), server.Stderr);
        }
    }

    [Fact]
    public async Task A_sustained_slowloris_attack_keeps_no_listener_out()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        byte[] samples = WavFixture.Write(dir.File("in.wav"), format, 4000);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"));
        await using (server)
        {
            int plays = await UnderSustainedAttackAsync(port, () => PlayBitExactAsync(port, dir, samples));
            Assert.True(plays >= 3, $"only {plays} plays finished during the attack");
        }
    }

    [Fact]
    public async Task The_chat_port_lets_a_real_client_in_during_a_sustained_attack()
    {
        await using var chat = CliProcess.Start(["chat", "serve", "--host", "127.0.0.1", "--port", "0"]);
        string line = await chat.WaitForLineAsync(l => l.StartsWith("Chat room on port ", StringComparison.Ordinal));
        int port = int.Parse(line["Chat room on port ".Length..line.IndexOf('.', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        using (var attack = new HostileSockets())
        {
            await attack.OpenManyAsync(port, 500, Attacker);
            await attack.OpenManyAsync(port, 500, Attacker, HostileSockets.HalfHello);
            await JoinAndLeaveAsync(port, "alice");
        }

        int joins = 0;
        await UnderSustainedAttackAsync(port, async () =>
        {
            await JoinAndLeaveAsync(port, "bob" + joins.ToString(CultureInfo.InvariantCulture));
            joins++;
        });
        Assert.True(joins >= 3, $"only {joins} joins during the attack");
    }

    private static IPAddress Attacker(int i) => HostileSockets.OtherHost(i, 64);

    /// <summary>Keeps re-opening idle sockets (up to 600 open, oldest closed first) while <paramref name="client"/> runs again and again.</summary>
    private static async Task<int> UnderSustainedAttackAsync(int port, Func<Task> client)
    {
        using var stop = new CancellationTokenSource(SustainedAttack);
        var attacking = Task.Run(async () =>
        {
            var open = new Queue<HostileSockets>();
            int round = 0;
            while (!stop.IsCancellationRequested)
            {
                var batch = new HostileSockets();
                open.Enqueue(batch);
                await batch.OpenManyAsync(port, 100, i => Attacker(i + round), (round & 1) == 0 ? null : HostileSockets.HalfHello);
                round++;
                if (open.Count > 6)
                {
                    open.Dequeue().Dispose();
                }
            }

            while (open.Count > 0)
            {
                open.Dequeue().Dispose();
            }
        });

        int runs = 0;
        while (!stop.IsCancellationRequested)
        {
            await client();
            runs++;
        }

        await attacking;
        return runs;
    }

    private static async Task PlayBitExactAsync(int port, TempDirectory dir, byte[] samples)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"]);
        Assert.True(code == 0, stderr);
        Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("out.wav"))));
    }

    private static async Task JoinAndLeaveAsync(int port, string name)
    {
        await using var client = CliProcess.Start(["chat", "connect", $"127.0.0.1:{port}", "--name", name], redirectStdin: true);
        await client.WaitForLineAsync(l => l.StartsWith("* you joined as " + name + ";", StringComparison.Ordinal));
        await client.Stdin.WriteLineAsync("bye");
        await client.Stdin.FlushAsync();
        Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
