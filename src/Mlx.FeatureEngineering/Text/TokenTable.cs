using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mlx.FeatureEngineering.Text;

/// <summary>
/// A set of tokens that numbers each distinct token densely in the order it was first added, looked up by character
/// span: the counting and vocabulary lookups of text vectorization. Open addressing with linear probing over a
/// power-of-two table at most half full; each slot holds the token's id and its 32-bit hash (XxHash3 of the UTF-16
/// bytes), so a probe compares characters only when the hashes agree. The tokens' characters live in one growing array —
/// no string, no object per token — which is what makes it faster than a <c>Dictionary&lt;string, …&gt;</c> with
/// span lookups.
/// </summary>
internal sealed class TokenTable
{
    private char[] _characters;
    private int _characterCount;
    private int[] _starts;
    private int[] _lengths;
    // Per slot: id + 1 (0 = empty) and the token's hash.
    private int[] _ids;
    private uint[] _hashes;
    private int _mask;

    public TokenTable(int capacity = 1024)
    {
        int slots = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * capacity));
        _ids = new int[slots];
        _hashes = new uint[slots];
        _mask = slots - 1;
        _starts = new int[Math.Max(16, capacity)];
        _lengths = new int[_starts.Length];
        _characters = new char[Math.Max(64, 8 * capacity)];
    }

    /// <summary>Distinct tokens added.</summary>
    public int Count { get; private set; }

    /// <summary>Token <paramref name="id"/>'s characters.</summary>
    public ReadOnlySpan<char> this[int id] => _characters.AsSpan(_starts[id], _lengths[id]);

    /// <summary>The id of <paramref name="token"/>, or −1 when it was never added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int IndexOf(ReadOnlySpan<char> token)
    {
        uint hash = Hash(token);
        for (int slot = (int)hash & _mask; ; slot = (slot + 1) & _mask)
        {
            int id = _ids[slot] - 1;
            if (id < 0)
                return -1;
            if (_hashes[slot] == hash && this[id].SequenceEqual(token))
                return id;
        }
    }

    /// <summary>The id of <paramref name="token"/>, adding it (with the next id) when it is new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Add(ReadOnlySpan<char> token)
    {
        uint hash = Hash(token);
        int slot = (int)hash & _mask;
        for (; ; slot = (slot + 1) & _mask)
        {
            int id = _ids[slot] - 1;
            if (id < 0)
                break;
            if (_hashes[slot] == hash && this[id].SequenceEqual(token))
                return id;
        }
        int added = Count++;
        if (added == _starts.Length)
        {
            Array.Resize(ref _starts, 2 * added);
            Array.Resize(ref _lengths, 2 * added);
        }
        if (_characterCount + token.Length > _characters.Length)
            Array.Resize(ref _characters, Math.Max(2 * _characters.Length, _characterCount + token.Length));
        token.CopyTo(_characters.AsSpan(_characterCount));
        _starts[added] = _characterCount;
        _lengths[added] = token.Length;
        _characterCount += token.Length;
        _ids[slot] = added + 1;
        _hashes[slot] = hash;
        if (2 * Count > _ids.Length)
            Grow();
        return added;
    }

    // Doubles the slots and re-inserts every id by its stored hash (no rehashing of characters).
    private void Grow()
    {
        var ids = _ids;
        var hashes = _hashes;
        _ids = new int[2 * ids.Length];
        _hashes = new uint[2 * ids.Length];
        _mask = _ids.Length - 1;
        for (int old = 0; old < ids.Length; old++)
        {
            if (ids[old] == 0)
                continue;
            int slot = (int)hashes[old] & _mask;
            while (_ids[slot] != 0)
                slot = (slot + 1) & _mask;
            _ids[slot] = ids[old];
            _hashes[slot] = hashes[old];
        }
    }

    // XxHash3 of the UTF-16 bytes (measured faster here than an inlined multiply–xorshift hash: fewer collisions).
    private static uint Hash(ReadOnlySpan<char> token) => (uint)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(token));
}
