package uk.nhs.safeshare.platform

import android.content.Context
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import uniffi.safeshare.PlatformException
import uniffi.safeshare.SecretStore
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The core's SecretStore on Android: each secret is sealed with AES-256-GCM under a key that
 * never leaves the Android Keystore (hardware-backed where the phone has it), usable only while
 * the device is unlocked, and the sealed bytes are kept in private app storage that is excluded
 * from backup. Called from Rust; it must not call back into SafeShare.
 */
class KeystoreSecretStore(context: Context) : SecretStore {
    private val prefs = context.getSharedPreferences("safeshare.secrets", Context.MODE_PRIVATE)

    override fun get(name: String): ByteArray? = guarded {
        val sealed = prefs.getString(name, null) ?: return@guarded null
        val bytes = Base64.decode(sealed, Base64.NO_WRAP)
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key(), GCMParameterSpec(128, bytes, 0, IV_BYTES))
        cipher.updateAAD(name.toByteArray())
        cipher.doFinal(bytes, IV_BYTES, bytes.size - IV_BYTES)
    }

    override fun put(name: String, value: ByteArray) = guarded {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key())
        cipher.updateAAD(name.toByteArray())
        val sealed = cipher.iv + cipher.doFinal(value)
        // commit(), not apply(): the core writes the database only after the key is kept.
        if (!prefs.edit().putString(name, Base64.encodeToString(sealed, Base64.NO_WRAP)).commit()) {
            throw PlatformException.Unavailable("could not save the secret")
        }
    }

    override fun delete(name: String) = guarded {
        if (!prefs.edit().remove(name).commit()) throw PlatformException.Unavailable("could not delete the secret")
    }

    private fun key(): SecretKey {
        val keyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
        (keyStore.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val spec = KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .apply { if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) setUnlockedDeviceRequired(true) }
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE).run {
            init(spec)
            generateKey()
        }
    }

    /** Platform failures become the typed PlatformException; the message names no secret. */
    private inline fun <T> guarded(block: () -> T): T =
        try {
            block()
        } catch (e: PlatformException) {
            throw e
        } catch (e: Exception) {
            throw PlatformException.Unavailable("Android Keystore: ${e.javaClass.simpleName}")
        }

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
        const val ALIAS = "safeshare.secret-wrapping-key"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
    }
}
