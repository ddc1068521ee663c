package uk.nhs.safeshare.ui

import android.Manifest
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import androidx.core.content.ContextCompat
import uniffi.safeshare_core.CallTarget

/**
 * One-tap call with the core's chosen number: ACTION_CALL when the practitioner granted the
 * call permission, otherwise ACTION_DIAL (the dialler opens with the number filled in).
 */
fun placeCall(context: Context, target: CallTarget) {
    val uri = Uri.parse(target.telUri)
    val canCall = ContextCompat.checkSelfPermission(context, Manifest.permission.CALL_PHONE) == PackageManager.PERMISSION_GRANTED
    val intent = Intent(if (canCall) Intent.ACTION_CALL else Intent.ACTION_DIAL, uri).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
    context.startActivity(intent)
}
