namespace OtelLab.Sim.Networking;

/// <summary>
/// One lab's claim on an address slot of the machine (<see cref="LoopbackAddressPlan"/>): the first free one of
/// <see cref="LoopbackAddressPlan.Slots"/>, held by an exclusive lock on a file under the temp directory until the lab
/// disposes it — or its process dies, which releases the lock with it, so a crashed lab never strands its slot. Two
/// labs on one machine (two terminals, or tests running side by side) then never bind the same pod or node address.
/// </summary>
public sealed class LoopbackAddressSlot : IDisposable
{
    private readonly FileStream _lock;

    private LoopbackAddressSlot(int slot, FileStream @lock)
    {
        Slot = slot;
        _lock = @lock;
    }

    /// <summary>The slot held.</summary>
    public int Slot { get; }

    /// <summary>
    /// A fresh address plan of this slot, for one cluster: a plan hands out addresses in order, so a second lab on the
    /// same slot (compare's head after its base) gets the same addresses for the same pods only from a plan of its own.
    /// </summary>
    public LoopbackAddressPlan NewPlan() => new(Slot);

    /// <summary>Where the slots' lock files live (one per slot).</summary>
    public static string LockDirectory { get; } = Path.Combine(Path.GetTempPath(), "otel-lab", "address-slots");

    /// <summary>Claims the lowest free slot; throws, naming the holders' lock files, when every slot is taken.</summary>
    public static LoopbackAddressSlot Claim()
    {
        for (var slot = 0; slot < LoopbackAddressPlan.Slots; slot++)
        {
            var path = Path.Combine(LockDirectory, $"{slot}.lock");
            try
            {
                Directory.CreateDirectory(LockDirectory);
                // FileShare.None is an exclusive advisory lock (flock) on Unix: held while the stream is open, gone with
                // the process.
                return new LoopbackAddressSlot(slot, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's lab created the folder or the file: say which and how to share it.
                throw new InvalidOperationException(
                    $"cannot open the address-slot lock {path} (permission denied): another user's lab created it; " +
                    $"make {LockDirectory} writable for both (chmod 1777) or give this lab its own TMPDIR.");
            }
            catch (IOException)
            {
                // Another lab holds this slot.
            }
        }

        throw new InvalidOperationException(
            $"all {LoopbackAddressPlan.Slots} address slots of this machine are held by running labs (lock files in {LockDirectory}): " +
            "stop one of them and start again.");
    }

    public void Dispose() => _lock.Dispose();
}
