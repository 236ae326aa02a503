using System.Text;
using System.Text.Json;

namespace Streamer.Bench;

/// <summary>How every bench writes its <c>--json</c>: one indented object and a newline; a figure that could not be taken is null (JSON has no NaN).</summary>
internal static class BenchJson
{
    /// <summary>The document <paramref name="body"/> writes, indented, with a trailing newline.</summary>
    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            body(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>A number rounded to <paramref name="digits"/>, or null when it is not finite.</summary>
    public static void Number(Utf8JsonWriter json, string name, double value, int digits = 3)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, digits));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
