export * from './web-service';
export { DEFAULT_IMAGE, DEFAULT_CONTAINER_PORT, WEB_ENVIRONMENT } from '../defaults/web';
