/**
 * The camera as a Lit reactive controller: opens the rear or front camera, reports why it cannot
 * (in words the catalogue has), and takes full-resolution photos. The shutter must wait for
 * `live`: some browsers resolve getUserMedia before the first frame, and a photo taken then is
 * black (a complaint about other vendors' flows).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isFramed } from './embed.js';

/**
 * `denied`: the person (or their browser's settings) said no. `blocked`: the page that frames the
 * flow does not let it use the camera at all (its Permissions-Policy, or an iframe without
 * `allow="camera"`): no setting of the applicant's can change that, a new tab can.
 */
export type CameraState = 'idle' | 'starting' | 'live' | 'denied' | 'blocked' | 'missing' | 'insecure' | 'in_app' | 'busy' | 'failed';
export type Facing = 'environment' | 'user';

/** States in which the camera will not work without the applicant doing something. */
export const CAMERA_PROBLEMS: CameraState[] = ['denied', 'blocked', 'missing', 'insecure', 'in_app', 'busy', 'failed'];

// Apps whose built-in browsers often refuse getUserMedia: we name the way out (open in the browser).
const IN_APP_BROWSER = /FBAN|FBAV|Instagram|Line\/|MicroMessenger|Snapchat|TikTok|musical_ly|LinkedInApp|Twitter|; wv\)/;

export class CameraController implements ReactiveController {
  state: CameraState = 'idle';
  /** Set when the camera could not start: the browser's own words, for the console only. */
  detail = '';
  #stream: MediaStream | undefined;
  #video: HTMLVideoElement | undefined;
  #run = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  get video(): HTMLVideoElement | undefined {
    return this.state === 'live' ? this.#video : undefined;
  }

  async start(video: HTMLVideoElement, facing: Facing): Promise<void> {
    this.stop();
    const run = ++this.#run;
    this.#video = video;
    if (!window.isSecureContext) return this.#fail('insecure');
    if (!navigator.mediaDevices?.getUserMedia) return this.#fail(IN_APP_BROWSER.test(navigator.userAgent) ? 'in_app' : 'missing');
    // Asked before getUserMedia: a prompt the frame's policy would refuse anyway is no use.
    if (isFramed && frameAllowsCamera() === false) {
      this.detail = "the framing page's Permissions-Policy does not allow the camera here";
      return this.#fail('blocked');
    }
    this.#set('starting');
    try {
      // Only facingMode and an ideal size: exact constraints and enumerateDevices() loops are what
      // break on iOS. 1920×1080 ideal gives a sharp document; browsers pick what they have.
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: facing }, width: { ideal: 1920 }, height: { ideal: 1080 } },
      });
      if (run !== this.#run) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      this.#stream = stream;
      // playsinline + muted: iOS otherwise opens a full-screen player or shows a black frame.
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      await video.play();
      await firstFrame(video);
      if (run !== this.#run) return;
      stream.getVideoTracks()[0]?.addEventListener('ended', () => run === this.#run && this.#fail('failed'));
      this.#set('live');
    } catch (error) {
      if (run !== this.#run) return;
      this.detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const problem = problemOf(error);
      const blocked = problem === 'denied' && (await refusedByFrame());
      if (run !== this.#run) return;
      this.#fail(blocked ? 'blocked' : problem);
    }
  }

  stop(): void {
    this.#run++;
    this.#stream?.getTracks().forEach((t) => t.stop());
    this.#stream = undefined;
    if (this.#video) this.#video.srcObject = null;
    if (this.state === 'live' || this.state === 'starting') this.#set('idle');
  }

  /** A still at the camera's full resolution, as JPEG. */
  async takePhoto(): Promise<Blob> {
    const video = this.video;
    if (!video) throw new Error('The camera is not live.');
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')!.drawImage(video, 0, 0);
    return new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The photo could not be encoded.'))), 'image/jpeg', 0.92),
    );
  }

  #fail(state: CameraState): void {
    this.#stream?.getTracks().forEach((t) => t.stop());
    this.#stream = undefined;
    this.#set(state);
  }

  #set(state: CameraState): void {
    this.state = state;
    this.host.requestUpdate();
  }
}

function problemOf(error: unknown): CameraState {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return IN_APP_BROWSER.test(navigator.userAgent) ? 'in_app' : 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'failed';
}

/** What the frame's permissions policy says of the camera; undefined where the browser cannot tell. */
function frameAllowsCamera(): boolean | undefined {
  // permissionsPolicy is the standard's name, featurePolicy what Chromium ships.
  const { permissionsPolicy, featurePolicy } = document as Document & { permissionsPolicy?: FeaturePolicy; featurePolicy?: FeaturePolicy };
  const policy = permissionsPolicy ?? featurePolicy;
  try {
    return policy?.allowsFeature('camera');
  } catch {
    return undefined;
  }
}

interface FeaturePolicy {
  allowsFeature(feature: string): boolean;
}

/**
 * A NotAllowedError in a frame, where the browser has no policy to ask (Firefox, Safari): the
 * frame refused it if the person did not (no `denied` on record for the camera).
 */
async function refusedByFrame(): Promise<boolean> {
  if (!isFramed || frameAllowsCamera() !== undefined) return false;
  try {
    return (await navigator.permissions.query({ name: 'camera' as PermissionName })).state !== 'denied';
  } catch {
    return false;
  }
}

/** Resolves once the video has a decoded frame with a size (`playing` alone is not enough everywhere). */
function firstFrame(video: HTMLVideoElement): Promise<void> {
  if (video.videoWidth > 0 && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (video.videoWidth > 0 && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
        video.removeEventListener('loadeddata', check);
        video.removeEventListener('playing', check);
        video.removeEventListener('resize', check);
        resolve();
      }
    };
    video.addEventListener('loadeddata', check);
    video.addEventListener('playing', check);
    video.addEventListener('resize', check);
  });
}
