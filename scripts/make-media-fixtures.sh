#!/bin/sh
# Makes the small image, audio and extra video fixtures under fixtures/ (the three older clips in fixtures/video
# are made by the commands in docs/emulator.md). Needs ffmpeg from Debian: apt-get install ffmpeg.
# The output is committed; rerun only to change a fixture (ffmpeg versions may give slightly different bytes).
set -eu
cd "$(dirname "$0")/../fixtures"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }

# Images: a 1080x1920 (9:16) PNG, a 640x360 (16:9) JPEG.
ff -f lavfi -i "color=c=0x3366cc:s=1080x1920:d=1,drawbox=x=100:y=200:w=300:h=300:c=white:t=fill" \
  -frames:v 1 -pix_fmt pal8 image/vertical-1080x1920.png
ff -f lavfi -i "color=c=0xcc6633:s=640x360:d=1" -frames:v 1 -q:v 20 image/landscape-640x360.jpg

# Audio: one second of a tone, WAV at 16 kHz mono (8-bit), MP3 at 44.1 kHz.
ff -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=1" -c:a pcm_u8 audio/tone-16000hz-1s.wav
ff -f lavfi -i "sine=frequency=330:sample_rate=44100:duration=1" -c:a libmp3lame -b:a 32k audio/tone-44100hz-1s.mp3

# Video: a 1280x720 (16:9) clip, the "wrong format" clip of the end-to-end tests.
ff -f lavfi -i "color=c=0x33aa55:s=1280x720:r=30:d=1" -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=1" \
  -c:v libx264 -preset veryslow -crf 40 -pix_fmt yuv420p -c:a aac -b:a 24k -shortest -movflags +faststart \
  video/landscape-1280x720-30fps.mp4
