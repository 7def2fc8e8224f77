module github.com/kaiseki-app/kaiseki

go 1.25
