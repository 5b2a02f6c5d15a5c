using System.Text.Json;

namespace F5Parity.Tests.TestUtilities;

/// <summary>Reads the token lists upstream's captures store as JSON in safetensors metadata (<c>[["O", "l", ...]]</c>).</summary>
public static class TokenLists
{
    public static List<List<string>> Parse(string json) =>
        JsonSerializer.Deserialize<List<List<string>>>(json) ?? throw new FormatException("token list metadata is null");
}
