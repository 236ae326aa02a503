using System.CommandLine;
using System.Text.Json;
using Streamer.Media.Codecs;
using Streamer.Streaming;

namespace Streamer.Cli.Commands;

/// <summary><c>streamer codecs</c>: every codec this run knows, built in or from a plug-in, and where it came from.</summary>
internal static class CodecsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "One JSON document instead of the table" };
        var command = new Command("codecs", "List codecs: name, description, payload kind and source (built-in or the plug-in's path)");
        command.Options.Add(json);
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            var registrations = CodecRegistry.Default.Registrations.ToList();
            await Console.Out.WriteAsync(parse.GetValue(json) ? Json(registrations) : Table(registrations));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Kind(CodecPayloadKind kind) => kind == CodecPayloadKind.RawPcm ? "raw-pcm" : "encoded";

    private static string Table(List<CodecRegistration> registrations)
    {
        int width = Math.Max(4, registrations.Max(r => r.Codec.Name.Length));
        int descriptionWidth = Math.Max(11, registrations.Max(r => r.Codec.Description.Length));
        var text = new System.Text.StringBuilder();
        text.Append("NAME".PadRight(width)).Append("  ").Append("KIND".PadRight(7)).Append("  ")
            .Append("DESCRIPTION".PadRight(descriptionWidth)).Append("  SOURCE\n");
        foreach (var registration in registrations)
        {
            var codec = registration.Codec;
            text.Append(codec.Name.PadRight(width)).Append("  ").Append(Kind(codec.PayloadKind).PadRight(7)).Append("  ")
                .Append(codec.Description.PadRight(descriptionWidth)).Append("  ").Append(registration.Source).Append('\n');
        }

        return text.ToString();
    }

    private static string Json(List<CodecRegistration> registrations)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("codecs");
            foreach (var registration in registrations)
            {
                writer.WriteStartObject();
                writer.WriteString("name", registration.Codec.Name);
                writer.WriteString("description", registration.Codec.Description);
                writer.WriteString("payload", Kind(registration.Codec.PayloadKind));
                writer.WriteString("source", registration.Source);
                writer.WriteBoolean("builtIn", registration.Source == CodecRegistry.BuiltIn);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
